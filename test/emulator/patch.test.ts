import { describe, expect, it } from 'vitest';
import type { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { call, createReferral, manualClock, newEmulator } from './helpers.js';

const patch = (em: ReferralsEmulator, id: string, ops: unknown, headers: Record<string, string> = {}) =>
  call(em, 'PATCH', `/referrals/${id}`, { json: ops, headers });

async function setup() {
  const clock = manualClock();
  const em = newEmulator({ now: clock.now });
  const created = await createReferral(em);
  return { em, clock, created, id: created.id as string };
}

describe('PATCH /referrals/{id}', () => {
  it('applies add/replace, answers 204 with a new eTag and updatedDateTime', async () => {
    const { em, clock, created, id } = await setup();
    clock.advance(5_000);
    const res = await patch(em, id, [
      { op: 'replace', path: '/details/notes', value: 'Call back Monday' },
      { op: 'add', path: '/team/-', value: { firstName: 'Ana', lastName: 'Silva', email: 'ana.silva@fabrikam.com' } },
      { op: 'add', path: '/tags/0', value: 'first' },
      { op: 'replace', path: '/favorite', value: true },
    ]);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const stored = em.store.get(id)!;
    expect(res.headers.etag).toBe(stored.eTag);
    expect(stored.eTag).not.toBe(created.eTag);
    expect(stored.updatedDateTime).toBe(new Date(Date.parse(created.updatedDateTime) + 5_000).toISOString());
    expect(stored).toMatchObject({ favorite: true, tags: ['first', 'priority'], details: { notes: 'Call back Monday' } });
    expect((stored.team as unknown[]).at(-1)).toMatchObject({ email: 'ana.silva@fabrikam.com' });
  });

  it('returns the referral with Prefer: return=representation', async () => {
    const { em, id } = await setup();
    const res = await patch(em, id, [{ op: 'replace', path: '/name', value: 'Renamed' }], { prefer: 'return=representation' });
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBe('return=representation');
    expect(res.json).toMatchObject({ id, name: 'Renamed', eTag: res.headers.etag });
    const minimal = await patch(em, id, [{ op: 'replace', path: '/name', value: 'Again' }], { prefer: 'return=minimal' });
    expect(minimal.status).toBe(204);
  });

  it('honours If-Match: 412 on a stale eTag, success on the current one or *', async () => {
    const { em, created, id } = await setup();
    const ok = await patch(em, id, [{ op: 'replace', path: '/name', value: 'A' }], { 'if-match': created.eTag });
    expect(ok.status).toBe(204);
    const stale = await patch(em, id, [{ op: 'replace', path: '/name', value: 'B' }], { 'if-match': created.eTag });
    expect(stale.status).toBe(412);
    expect(stale.json.code).toBe('PreconditionFailed');
    expect(em.store.get(id)!.name).toBe('A');
    const unquoted = await patch(em, id, [{ op: 'replace', path: '/name', value: 'B' }], { 'if-match': ok.headers.etag!.replace(/"/g, '') });
    expect(unquoted.status).toBe(412);
    expect((await patch(em, id, [{ op: 'replace', path: '/name', value: 'C' }], { 'if-match': '*' })).status).toBe(204);
  });

  it('sets a declared field that is absent with replace, as the service does', async () => {
    const { em, id } = await setup();
    expect(em.store.get(id)).not.toHaveProperty('externalReferenceId');
    expect((await patch(em, id, [{ op: 'replace', path: '/externalReferenceId', value: 'CRM-1' }])).status).toBe(204);
    expect(em.store.get(id)!.externalReferenceId).toBe('CRM-1');
  });

  it('accepts application/json-patch+json too', async () => {
    const { em, id } = await setup();
    const res = await call(em, 'PATCH', `/referrals/${id}`, {
      raw: JSON.stringify([{ op: 'replace', path: '/name', value: 'x' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(res.status).toBe(204);
  });

  it.each([
    [[{ op: 'remove', path: '/name' }], 'UnsupportedPatchOperation', "Patch operation 0: 'remove' is not supported; only add and replace are."],
    [[{ op: 'replace', path: '/name', value: 'x' }, { op: 'move', from: '/name', path: '/statusReason' }], 'UnsupportedPatchOperation', "Patch operation 1: 'move'"],
    [[{ op: 'copy', from: '/name', path: '/statusReason' }], 'UnsupportedPatchOperation', "'copy' is not supported"],
    [[{ op: 'test', path: '/name', value: 'x' }], 'UnsupportedPatchOperation', "'test' is not supported"],
    [[{ op: 'replace', path: '/id', value: 'x' }], 'ReadOnlyPatchPath', "'/id' is read-only"],
    [[{ op: 'replace', path: '/eTag', value: '"x"' }], 'ReadOnlyPatchPath', "'/eTag' is read-only"],
    [[{ op: 'replace', path: '/createdDateTime', value: '2020-01-01T00:00:00Z' }], 'ReadOnlyPatchPath', 'read-only'],
    [[{ op: 'replace', path: '/updatedDateTime', value: '2020-01-01T00:00:00Z' }], 'ReadOnlyPatchPath', 'read-only'],
    [[{ op: 'replace', path: '/links/self/uri', value: 'x' }], 'ReadOnlyPatchPath', "'/links/self/uri' is read-only"],
    [[{ op: 'replace', path: '/engagementId', value: '8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }], 'ReadOnlyPatchPath', "'/engagementId' cannot be changed"],
    [[{ op: 'replace', path: '/direction', value: 'Incoming' }], 'ReadOnlyPatchPath', 'read-only'],
    [[{ op: 'replace', path: '/customerProfile/isMatchingComplete', value: true }], 'ReadOnlyPatchPath', 'read-only'],
    [[{ op: 'replace', path: '/registrations', value: [] }], 'ReadOnlyPatchPath', 'add a registration with add /registrations/-'],
    [[{ op: 'replace', path: '/registrations/-', value: {} }], 'ReadOnlyPatchPath', "'/registrations/-' cannot be changed"],
    [[{ op: 'replace', path: '/registrations/1/contract/value', value: 1 }], 'ReadOnlyPatchPath', "'/registrations/1/contract/value' cannot be changed"],
    [[{ op: 'replace', path: '/nickname', value: 'x' }], 'InvalidPatchPath', "'/nickname' is not a field of the referral ('nickname' is unknown)"],
    [[{ op: 'replace', path: '/details/foo', value: 1 }], 'InvalidPatchPath', "'foo' is unknown"],
    [[{ op: 'replace', path: '/name/first', value: 1 }], 'InvalidPatchPath', "'first' is unknown"],
    [[{ op: 'replace', path: '/team/first/email', value: 'a@b.com' }], 'InvalidPatchPath', "'first' in '/team/first/email' is not an array index"],
    [[{ op: 'replace', path: '/team/-', value: {} }], 'InvalidPatchPath', 'is not an array index'],
    [[{ op: 'replace', path: '', value: {} }], 'InvalidPatchOperation', "path '' must start with '/'"],
    [[{ op: 'replace', path: '/', value: {} }], 'InvalidPatchPath', 'the whole referral cannot be replaced'],
    [[{ op: 'replace', path: '/name' }], 'InvalidPatchOperation', "'value' is required for replace"],
    [[{ path: '/name', value: 'x' }], 'InvalidPatchOperation', "'op' is missing"],
    [[{ op: 'replace', value: 'x' }], 'InvalidPatchOperation', "'path' is missing"],
    [['replace'], 'InvalidPatchOperation', 'must be an object'],
    [[], 'InvalidPatchDocument', 'empty'],
    [{ op: 'replace', path: '/name', value: 'x' }, 'InvalidPatchDocument', 'must be a JSON Patch array'],
    [[{ op: 'replace', path: '/details/dealValue', value: 'a lot' }], 'InvalidReferral', 'Patch operation 0 (replace /details/dealValue): the change would make the referral invalid: referral/details/dealValue: must be of type number or null'],
    [[{ op: 'replace', path: '/name', value: 'x' }, { op: 'add', path: '/tags/-', value: 'fine' }, { op: 'add', path: '/tags/-', value: 7 }], 'InvalidReferral', 'Patch operation 2 (add /tags/-): the change would make the referral invalid: referral/tags/-: must be of type string'],
    [[{ op: 'replace', path: '/customerProfile', value: { size: '1to50employees' } }, { op: 'replace', path: '/name', value: 'x' }], 'InvalidReferral', "Patch operation 0 (replace /customerProfile): the change would make the referral invalid: referral/customerProfile: the required field 'name' is missing"],
    [[{ op: 'replace', path: '/consent/consentToContact', value: 'yes' }], 'InvalidReferral', 'Patch operation 0 (replace /consent/consentToContact): the change would make the referral invalid: referral/consent/consentToContact: must be of type boolean'],
    [[{ op: 'replace', path: '/qualification', value: 'Hot' }], 'InvalidReferral', 'must be one of None, Direct, MarketingQualified, SalesQualified'],
    [[{ op: 'replace', path: '/team/7/email', value: 'a@b.com' }], 'InvalidPatchOperation', "'/team/7/email' does not exist"],
    [[{ op: 'add', path: '/team/9', value: {} }], 'InvalidPatchOperation', 'beyond the end of the array'],
    [[{ op: 'add', path: '/inviteContext/notes', value: 'x' }], 'InvalidPatchOperation', 'its parent does not exist'],
    [[{ op: 'replace', path: '/status', value: 'Open' }], 'InvalidReferral', 'must be one of New, Active, Closed, None'],
    [[{ op: 'replace', path: '/status', value: 'None' }], 'InvalidStatus', "Patch operation 0 (replace /status): status 'None' cannot be set"],
    [[{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/name', value: 'x' }], 'InvalidSubstatus', "Patch operation 0 (replace /status): substatus 'Pending' is not valid with status 'Active'; use one of Accepted"],
    [[{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Won' }], 'InvalidSubstatus', "Patch operation 1 (replace /substatus): substatus 'Won' is not valid with status 'Active'"],
    [[{ op: 'replace', path: '/substatus', value: 'Won' }], 'InvalidSubstatus', "Patch operation 0 (replace /substatus): substatus 'Won' is not valid with status 'New'"],
  ])('rejects %j with 400 %s and leaves the referral unchanged', async (ops, code, description) => {
    const { em, id } = await setup();
    const before = em.store.get(id);
    const res = await patch(em, id, ops);
    expect(res.status, res.body).toBe(400);
    expect(res.json.code).toBe(code);
    expect(res.json.description).toContain(description);
    expect(em.store.get(id)).toEqual(before);
  });

  it('rejects invalid JSON and other media types', async () => {
    const { em, id } = await setup();
    const before = em.store.get(id);
    const bad = await call(em, 'PATCH', `/referrals/${id}`, { raw: '[{"op":"replace"', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('InvalidJson');
    const xml = await call(em, 'PATCH', `/referrals/${id}`, { raw: '<patch/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.status).toBe(415);
    expect(em.store.get(id)).toEqual(before);
  });

  it('is all-or-nothing: a failing later operation undoes the earlier ones', async () => {
    const { em, id } = await setup();
    const before = em.store.get(id);
    const res = await patch(em, id, [
      { op: 'replace', path: '/name', value: 'Changed' },
      { op: 'add', path: '/tags/-', value: 'x' },
      { op: 'replace', path: '/details/dealValue', value: false },
    ]);
    expect(res.status).toBe(400);
    expect(res.json.description).toContain('details/dealValue');
    expect(em.store.get(id)).toEqual(before);
  });

  it('answers 404 for an unknown referral', async () => {
    const { em } = await setup();
    const res = await patch(em, 'f00df00d-0000-4000-8000-000000000000', [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(res.status).toBe(404);
  });
});

describe('status transitions', () => {
  const move = (em: ReferralsEmulator, id: string, status: string, substatus: string) =>
    patch(em, id, [
      { op: 'replace', path: '/status', value: status },
      { op: 'replace', path: '/substatus', value: substatus },
    ]);

  it('follows New -> Active -> Closed and stamps acceptedDateTime and closedDateTime', async () => {
    const { em, clock, id } = await setup();
    expect((await move(em, id, 'New', 'Received')).status).toBe(204);
    clock.advance(1000);
    expect((await move(em, id, 'Active', 'Accepted')).status).toBe(204);
    const active = em.store.get(id)!;
    expect(active.acceptedDateTime).toBe(active.updatedDateTime);
    clock.advance(1000);
    expect((await move(em, id, 'Closed', 'Won')).status).toBe(204);
    const closed = em.store.get(id)!;
    expect(closed.closedDateTime).toBe(closed.updatedDateTime);
    expect(closed.acceptedDateTime).toBe(active.acceptedDateTime);
  });

  it('lets New close directly, with any closing substatus', async () => {
    for (const substatus of ['Won', 'Lost', 'Declined', 'Expired']) {
      const { em, id } = await setup();
      expect((await move(em, id, 'Closed', substatus)).status).toBe(204);
    }
  });

  it.each([
    ['Active', 'Accepted', 'New', 'Pending', "A referral cannot move from Active to New; from Active it can move to Active, Closed."],
    ['Closed', 'Won', 'Active', 'Accepted', 'a closed referral cannot change status or substatus'],
    ['Closed', 'Lost', 'Closed', 'Won', 'a closed referral cannot change status or substatus'],
  ])('refuses %s/%s -> %s/%s with 409', async (s1, ss1, s2, ss2, message) => {
    const { em, id } = await setup();
    if (s1 === 'Closed') expect((await move(em, id, 'Active', 'Accepted')).status).toBe(204);
    expect((await move(em, id, s1, ss1)).status).toBe(204);
    const before = em.store.get(id);
    const res = await move(em, id, s2, ss2);
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('InvalidStatusTransition');
    expect(res.json.description).toContain(message);
    // The last operation that touched the state is named (move() sends status, then substatus).
    expect(res.json.description).toMatch(/^Patch operation 1 \(replace \/substatus\): /);
    expect(em.store.get(id)).toEqual(before);
  });

  it('still allows other fields to change on a closed referral', async () => {
    const { em, id } = await setup();
    await move(em, id, 'Closed', 'Lost');
    expect((await patch(em, id, [{ op: 'replace', path: '/statusReason', value: 'Budget cut' }])).status).toBe(204);
    expect((await patch(em, id, [{ op: 'replace', path: '/status', value: 'Closed' }])).status).toBe(204);
  });
});

describe('deal registrations', () => {
  const registration = {
    type: 'AzureIPCoSell',
    contract: { value: 120000, currency: 'USD', startDateTime: '2026-02-01T00:00:00Z', signDateTime: '2026-01-20T00:00:00Z', term: 'Finite', endDateTime: '2027-01-31T00:00:00Z' },
    solutionDetails: [{ id: 'SOL-1234567-IPC', value: 80000, currency: 'USD', isDeployedOnAzure: true, primaryDeploymentOn: 'Customer', pricingModel: 'PayAsYouGo' }],
  };

  it('creates one with add /registrations/- and fills the server-owned fields', async () => {
    const { em, clock, id } = await setup();
    clock.advance(10_000);
    const res = await patch(em, id, [{ op: 'add', path: '/registrations/-', value: { ...registration, status: 'Approved', id: 'mine' } }], { prefer: 'return=representation' });
    expect(res.status).toBe(200);
    const [reg] = res.json.registrations;
    const now = res.json.updatedDateTime;
    expect(reg).toMatchObject({ ...registration, status: 'ReviewPending', registrationDateTime: now, statusHistory: { reviewPendingDateTime: now } });
    expect(reg.id).not.toBe('mine');
    expect(res.json.registrationStatus).toBe('ReviewPending');
    const second = await patch(em, id, [{ op: 'add', path: '/registrations/-', value: registration }]);
    expect(second.status).toBe(409);
    expect(second.json.code).toBe('RegistrationExists');
  });

  it('updates it under /registrations/0/ but not its read-only fields', async () => {
    const { em, id } = await setup();
    await patch(em, id, [{ op: 'add', path: '/registrations/-', value: registration }]);
    const ok = await patch(em, id, [
      { op: 'replace', path: '/registrations/0/contract/value', value: 150000 },
      { op: 'replace', path: '/registrations/0/solutionDetails/0/pricingModel', value: 'Other' },
    ]);
    expect(ok.status).toBe(204);
    expect(em.store.get(id)).toMatchObject({ registrations: [{ contract: { value: 150000 }, solutionDetails: [{ pricingModel: 'Other' }] }] });
    for (const path of ['/registrations/0/status', '/registrations/0/id', '/registrations/0/statusHistory/approvedDateTime']) {
      const res = await patch(em, id, [{ op: 'replace', path, value: 'Approved' }]);
      expect(res.status, path).toBe(400);
      expect(res.json.code).toBe('ReadOnlyPatchPath');
    }
    const bad = await patch(em, id, [{ op: 'replace', path: '/registrations/0/contract/term', value: 'Forever' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.description).toContain('must be one of Perpetual, Finite');
  });

  it.each(['Passed', 'Failed', 'Closed'])('freezes a registration once it is %s', async (terminal) => {
    const { em, id } = await setup();
    await patch(em, id, [{ op: 'add', path: '/registrations/-', value: registration }]);
    const decided = em.store.update(id, (r) => {
      (r.registrations as Array<Record<string, unknown>>)[0]!.status = terminal;
    });
    const res = await patch(em, id, [{ op: 'replace', path: '/registrations/0/contract/value', value: 1 }]);
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('RegistrationIsTerminal');
    expect(res.json.description).toContain(`the deal registration is ${terminal}`);
    expect(em.store.get(id)).toEqual(decided);
    const another = await patch(em, id, [{ op: 'add', path: '/registrations/-', value: registration }]);
    expect(another.status).toBe(409);
    expect(another.json.description).toContain(`it is ${terminal}, a terminal status, so no further action is allowed`);
    expect(em.store.get(id)).toEqual(decided);
    expect((await patch(em, id, [{ op: 'replace', path: '/name', value: 'still editable' }])).status).toBe(204);
  });

  it('keeps an Approved registration editable', async () => {
    const { em, id } = await setup();
    await patch(em, id, [{ op: 'add', path: '/registrations/-', value: registration }]);
    em.store.update(id, (r) => {
      (r.registrations as Array<Record<string, unknown>>)[0]!.status = 'Approved';
    });
    expect((await patch(em, id, [{ op: 'replace', path: '/registrations/0/contract/value', value: 2 }])).status).toBe(204);
  });

  it('rejects a registration that does not match the schema', async () => {
    const { em, id } = await setup();
    const res = await patch(em, id, [
      { op: 'replace', path: '/name', value: 'fine' },
      { op: 'add', path: '/registrations/-', value: { ...registration, contract: { value: 'many' } } },
    ]);
    expect(res.status).toBe(400);
    expect(res.json.description).toContain('Patch operation 1 (add /registrations/-): the change would make the referral invalid: referral/registrations/-/contract/value: must be of type number');
    expect(em.store.get(id)!.registrations).toEqual([]);
  });
});
