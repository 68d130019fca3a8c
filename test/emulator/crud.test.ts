import { describe, expect, it } from 'vitest';
import { allPages, BASE, call, createReferral, manualClock, newEmulator, ORIGIN, referralInput } from './helpers.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('create (POST /referrals)', () => {
  it('assigns id, quoted eTag, timestamps and the initial status, and answers 201 with the referral', async () => {
    const clock = manualClock('2026-03-01T08:00:00.000Z');
    const em = newEmulator({ now: clock.now });
    const res = await call(em, 'POST', '/referrals', { json: referralInput() });
    expect(res.status).toBe(201);
    const r = res.json;
    expect(r.id).toMatch(GUID);
    expect(r.eTag).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(res.headers.etag).toBe(r.eTag);
    expect(res.headers.location).toBe(`${BASE}/referrals/${r.id}`);
    expect(r).toMatchObject({
      status: 'New',
      substatus: 'Pending',
      direction: 'Outgoing',
      createdDateTime: '2026-03-01T08:00:00.000Z',
      updatedDateTime: '2026-03-01T08:00:00.000Z',
      registrations: [],
      customerProfile: { name: 'Contoso Ltd' },
      consent: { consentToToShareInfoWithOthers: true },
    });
    expect(r.engagementId).toMatch(GUID);
    expect(r.links.self).toEqual({ uri: `${BASE}/referrals/${r.id}`, method: 'GET' });
    expect(em.store.get(r.id)).toMatchObject({ id: r.id, eTag: r.eTag });
  });

  it('ignores server-owned and unknown fields in the body', async () => {
    const em = newEmulator();
    const r = await createReferral(em, { id: 'mine', eTag: '"x"', createdDateTime: '2000-01-01T00:00:00Z', direction: 'Incoming', registrations: [{}], bogus: 1 });
    expect(r.id).not.toBe('mine');
    expect(r.eTag).not.toBe('"x"');
    expect(r.createdDateTime).not.toBe('2000-01-01T00:00:00Z');
    expect(r.direction).toBe('Outgoing');
    expect(r.registrations).toEqual([]);
    expect(r).not.toHaveProperty('bogus');
  });

  it('accepts substatus Received for a new referral', async () => {
    expect((await createReferral(newEmulator(), { status: 'New', substatus: 'Received' })).substatus).toBe('Received');
  });

  it.each([
    [{ consent: undefined }, 'InvalidReferral', "body: the required field 'consent' is missing"],
    [{ details: undefined }, 'InvalidReferral', "the required field 'details' is missing"],
    [{ type: 'Partnership' }, 'InvalidReferral', 'body/type: must be one of Independent, Shared'],
    [{ details: { dealValue: 'lots' } }, 'InvalidReferral', 'body/details/dealValue: must be of type number or null'],
    [{ customerProfile: { address: {} } }, 'InvalidReferral', "body/customerProfile: the required field 'name' is missing"],
    [{ team: [{ email: 'not an email' }] }, 'InvalidReferral', 'body/team/0/email: must be a valid email'],
    // The create schema (ReferralCreate) states the create-time status rule, so it is its refusal.
    [{ status: 'Active' }, 'InvalidReferral', 'body/status: must be one of New'],
    [{ substatus: 'Won' }, 'InvalidReferral', 'body/substatus: must be one of Pending, Received'],
  ])('rejects %j with 400 %s', async (override, code, description) => {
    const em = newEmulator();
    const res = await call(em, 'POST', '/referrals', { json: referralInput(override) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code, data: [], source: 'PartnerReferrals' });
    expect(res.json.description).toContain(description);
    expect(em.store.size).toBe(0);
  });

  it('rejects bodies that are not a JSON object', async () => {
    const em = newEmulator();
    const invalid = await call(em, 'POST', '/referrals', { raw: '{"type": "Shared",', headers: { 'content-type': 'application/json' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.code).toBe('InvalidJson');
    const array = await call(em, 'POST', '/referrals', { json: [referralInput()] });
    expect(array.json).toMatchObject({ code: 'InvalidBody' });
    const empty = await call(em, 'POST', '/referrals', { raw: '', headers: { 'content-type': 'application/json' } });
    expect(empty.json).toMatchObject({ code: 'MissingBody' });
    const text = await call(em, 'POST', '/referrals', { raw: JSON.stringify(referralInput()), headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.json.description).toContain("Content-Type 'text/plain' is not supported; send application/json");
    const none = await call(em, 'POST', '/referrals', { raw: JSON.stringify(referralInput()) });
    expect(none.status).toBe(415);
    expect(none.json.description).toContain('Content-Type is missing');
    expect(em.store.size).toBe(0);
  });

  it('answers 400, not a stack overflow, to JSON nested too deep, on every operation with a body', async () => {
    const em = newEmulator({ count: 1 });
    const id = em.store.list()[0]!.id;
    const before = em.store.list();
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const bodies: Array<[string, string, string]> = [
      ['PATCH', `/referrals/${id}`, `[{"op":"add","path":"/tags/-","value":${deep(100_000)}}]`],
      ['POST', '/referrals', JSON.stringify(referralInput()).replace(/}$/, `,"extra":${deep(100_000)}}`)],
      ['PUT', `/referrals/${id}`, JSON.stringify(referralInput()).replace(/}$/, `,"extra":${deep(100_000)}}`)],
    ];
    for (const [method, path, raw] of bodies) {
      const res = await call(em, method, path, { raw, headers: { 'content-type': 'application/json', 'if-match': '*', 'ms-requestid': '5e1f0c2a-0000-4000-8000-00000000dee9' } });
      expect(res.status, `${method} ${res.body}`).toBe(400);
      expect(res.json.code).toBe('InvalidJson');
      expect(res.json.description).toMatch(/deeper than 64 levels \(at position \d+\)/);
    }
    expect(em.store.list()).toEqual(before);
    // A body at the limit is fine (brackets inside strings do not count).
    const ok = await call(em, 'PATCH', `/referrals/${id}`, { raw: `[{"op":"replace","path":"/name","value":"${'['.repeat(200)}"}]`, headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(204);
  });

  it('answers 413 to bodies over the limit', async () => {
    const em = newEmulator({ maxBodyBytes: 2000 });
    const res = await call(em, 'POST', '/referrals', { json: referralInput({ details: { notes: 'é'.repeat(1000) } }) });
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('PayloadTooLarge');
    expect((await call(em, 'POST', '/referrals', { json: referralInput() })).status).toBe(201);
  });
});

describe('get by id', () => {
  it('returns the referral with its eTag, or 404 with the error body', async () => {
    const em = newEmulator();
    const created = await createReferral(em);
    const res = await call(em, 'GET', `/referrals/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(created);
    expect(res.headers.etag).toBe(created.eTag);
    const missing = await call(em, 'GET', '/referrals/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      code: 'NotFound',
      description: "Referral '00000000-0000-0000-0000-000000000000' was not found.",
      data: [],
      source: 'PartnerReferrals',
    });
  });

  it('builds links on the origin the request used', async () => {
    const em = newEmulator();
    const created = await createReferral(em);
    const res = await call(em, 'GET', `http://127.0.0.1:4010/v1.0/engagements/referrals/${created.id}`);
    expect(res.json.links.self.uri).toBe(`http://127.0.0.1:4010/v1.0/engagements/referrals/${created.id}`);
    expect(decodeURIComponent(res.json.links.relatedReferrals.uri)).toBe(
      `http://127.0.0.1:4010/v1.0/engagements/referrals?$filter=engagementId eq '${created.engagementId}'`,
    );
  });
});

describe('list (GET /referrals)', () => {
  it('pages with $top and @odata.nextLink to the end, the curl scenario of the issue', async () => {
    const em = newEmulator({ count: 300 });
    const pages = await allPages(em, `${BASE}/referrals?$top=5&$filter=status%20eq%20%27New%27`);
    const all = pages.flatMap((p) => p.value);
    const expected = em.store.list().filter((r) => r.status === 'New');
    expect(expected.length).toBeGreaterThan(50);
    expect(pages[0].value).toHaveLength(5);
    expect(pages[0]['@odata.nextLink']).toMatch(new RegExp(`^${BASE}/referrals\\?\\$skiptoken=[A-Za-z0-9_-]+$`));
    expect(pages.slice(0, -1).every((p) => p.value.length === 5)).toBe(true);
    expect(pages.at(-1).value.length).toBeGreaterThan(0);
    expect(all.map((r: any) => r.id)).toEqual(expected.map((r) => r.id));
    expect(pages.at(-1)['@odata.nextLink']).toBeUndefined();
    expect(pages[0]['@odata.context']).toBe(`${BASE}/$metadata#referrals`);
  });

  it('returns @odata.count on every page when $count=true', async () => {
    const em = newEmulator({ count: 40 });
    const pages = await allPages(em, `${BASE}/referrals?$count=true&$top=15`);
    expect(pages.map((p) => p.value.length)).toEqual([15, 15, 10]);
    expect(pages.map((p) => p['@odata.count'])).toEqual([40, 40, 40]);
    const uncounted = await call(em, 'GET', '/referrals?$top=1');
    expect(uncounted.json).not.toHaveProperty('@odata.count');
  });

  it('caps $top at the maximum page size and pages through the rest', async () => {
    const em = newEmulator({ count: 30, maxPageSize: 12 });
    const pages = await allPages(em, `${BASE}/referrals?$top=100`);
    expect(pages.map((p) => p.value.length)).toEqual([12, 12, 6]);
    const defaults = await allPages(em, `${BASE}/referrals`);
    expect(defaults.map((p) => p.value.length)).toEqual([12, 12, 6]);
  });

  it('combines $filter, $orderby, $skip and $select', async () => {
    const em = newEmulator({ count: 120 });
    const res = await call(
      em,
      'GET',
      `/referrals?$filter=${encodeURIComponent("customerProfile/address/country eq 'US' and details/dealValue ge 100000")}&$orderby=details/dealValue desc,createdDateTime&$skip=2&$top=3&$select=id,details/dealValue,customerProfile/address/country`,
    );
    expect(res.status).toBe(200);
    const expected = em.store
      .list()
      .filter((r: any) => r.customerProfile.address.country === 'US' && r.details.dealValue >= 100000)
      .sort((a: any, b: any) => b.details.dealValue - a.details.dealValue || a.createdDateTime.localeCompare(b.createdDateTime))
      .slice(2, 5)
      .map((r: any) => ({ id: r.id, details: { dealValue: r.details.dealValue }, customerProfile: { address: { country: 'US' } } }));
    expect(res.json.value).toEqual(expected);
  });

  it('filters by a team member and by registration status, as a CRM sync does', async () => {
    const em = newEmulator({ count: 200 });
    const someone = (em.store.list()[7] as any).team[0].email as string;
    const byTeam = await call(em, 'GET', `/referrals?$filter=${encodeURIComponent(`team/any(t:t/email eq '${someone}')`)}`);
    expect(byTeam.json.value.length).toBeGreaterThan(0);
    expect(byTeam.json.value.every((r: any) => r.team.some((m: any) => m.email === someone))).toBe(true);
    const approved = await call(em, 'GET', `/referrals?$filter=${encodeURIComponent("registrations/any(r: r/status eq 'Approved')")}`);
    expect(approved.json.value.every((r: any) => r.registrations[0].status === 'Approved')).toBe(true);
  });

  it('answers 400 naming the problem for bad options', async () => {
    const em = newEmulator({ count: 5 });
    for (const [query, code, text] of [
      ['$filter=status%20eq', 'InvalidFilter', '$filter: '],
      ['$filter=nope%20eq%201', 'InvalidFilter', "unknown field 'nope'"],
      ['$orderby=nope', 'InvalidOrderBy', "unknown field 'nope'"],
      ['$select=id,nope', 'InvalidSelect', "unknown field 'nope'"],
      ['$top=-5', 'InvalidTop', '$top must be a positive integer'],
      ['$top=ten', 'InvalidTop', "got 'ten'"],
      ['$skip=x', 'InvalidSkip', '$skip must be a non-negative integer'],
      ['$skiptoken=abc', 'InvalidSkipToken', '$skiptoken'],
      ['$apply=groupby(status)', 'UnsupportedQueryOption', "'$apply' is not supported"],
    ] as const) {
      const res = await call(em, 'GET', `/referrals?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.code, query).toBe(code);
      expect(res.json.description, query).toContain(text);
    }
  });

  it('accepts $expand of known fields as a no-op', async () => {
    const em = newEmulator({ count: 3 });
    const res = await call(em, 'GET', '/referrals?$expand=registrations');
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(3);
  });
});

describe('replace (PUT /referrals/{id})', () => {
  it('requires If-Match and replaces only writable fields', async () => {
    const clock = manualClock();
    const em = newEmulator({ now: clock.now });
    const created = await createReferral(em);
    const body = { ...referralInput({ name: 'Renamed', tags: [] }), id: 'ignored', createdDateTime: '1999-01-01T00:00:00Z', direction: 'Incoming' };
    delete (body as Record<string, unknown>).team;

    const missing = await call(em, 'PUT', `/referrals/${created.id}`, { json: body });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('MissingIfMatch');
    const before = em.store.get(created.id);
    const stale = await call(em, 'PUT', `/referrals/${created.id}`, { json: body, headers: { 'if-match': '"stale"' } });
    expect(stale.status).toBe(412);
    expect(em.store.get(created.id)).toEqual(before);

    clock.advance(60_000);
    const res = await call(em, 'PUT', `/referrals/${created.id}`, { json: body, headers: { 'if-match': created.eTag } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: created.id, name: 'Renamed', tags: [], createdDateTime: created.createdDateTime, direction: 'Outgoing', status: 'New' });
    expect(res.json).not.toHaveProperty('team');
    expect(res.json.eTag).not.toBe(created.eTag);
    expect(res.headers.etag).toBe(res.json.eTag);
    expect(Date.parse(res.json.updatedDateTime) - Date.parse(created.updatedDateTime)).toBe(60_000);
  });

  it('keeps server-owned fields inside objects the body leaves out or replaces', async () => {
    const em = newEmulator();
    const fixture = em.store.insert({
      ...referralInput(),
      status: 'New',
      substatus: 'Received',
      direction: 'Incoming',
      customerProfile: { ...(referralInput().customerProfile as object), isMatchingComplete: true },
      details: { ...(referralInput().details as object), incentiveLevel: 'Level2' },
      inviteContext: { notes: 'Please help', invitedMpnId: '4848484', invitedBy: { organizationId: '72f988bf-86f1-41af-91ab-2d7cd011db47', organizationName: 'Microsoft' } },
      trackingInfo: { microsoftMsxId: '7-ABC', migratedPSCDealId: 'PSC-1' },
    });
    // The body is writable fields only: no inviteContext or trackingInfo, details without incentiveLevel.
    const res = await call(em, 'PUT', `/referrals/${fixture.id}`, { json: referralInput({ name: 'Replaced' }), headers: { 'if-match': fixture.eTag } });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({
      name: 'Replaced',
      direction: 'Incoming',
      customerProfile: { isMatchingComplete: true },
      details: { incentiveLevel: 'Level2', notes: 'Wants a migration plan.' },
      inviteContext: { invitedMpnId: '4848484', invitedBy: { organizationId: '72f988bf-86f1-41af-91ab-2d7cd011db47', organizationName: 'Microsoft' } },
      trackingInfo: { migratedPSCDealId: 'PSC-1' },
    });
    // Writable fields the body leaves out are gone: PUT replaces them.
    expect(res.json.inviteContext).not.toHaveProperty('notes');
    expect(res.json.trackingInfo).not.toHaveProperty('microsoftMsxId');
    const { links: _links, ...stored } = res.json;
    expect(em.store.get(fixture.id)).toEqual(stored);

    // PATCH replacing whole objects keeps them too.
    const patched = await call(em, 'PATCH', `/referrals/${fixture.id}`, {
      json: [
        { op: 'replace', path: '/inviteContext', value: { notes: 'new notes', invitedMpnId: 'forged' } },
        { op: 'replace', path: '/details', value: { notes: 'n' } },
        { op: 'replace', path: '/customerProfile', value: referralInput().customerProfile },
      ],
      headers: { prefer: 'return=representation' },
    });
    expect(patched.status, patched.body).toBe(200);
    expect(patched.json).toMatchObject({
      inviteContext: { notes: 'new notes', invitedMpnId: '4848484', invitedBy: { organizationName: 'Microsoft' } },
      details: { notes: 'n', incentiveLevel: 'Level2' },
      customerProfile: { isMatchingComplete: true },
      trackingInfo: { migratedPSCDealId: 'PSC-1' },
    });
  });

  it('checks the body and the status rules like create and patch do', async () => {
    const em = newEmulator();
    const created = await createReferral(em);
    const headers = { 'if-match': created.eTag };
    const invalid = await call(em, 'PUT', `/referrals/${created.id}`, { json: { name: 'x' }, headers });
    expect(invalid.status).toBe(400);
    expect(invalid.json.description).toContain("the required field 'type' is missing");
    const backwards = await call(em, 'PUT', `/referrals/${created.id}`, { json: referralInput({ status: 'Closed', substatus: 'Won' }), headers });
    expect(backwards.status).toBe(200);
    const reopen = await call(em, 'PUT', `/referrals/${created.id}`, { json: referralInput({ status: 'Active', substatus: 'Accepted' }), headers: { 'if-match': backwards.json.eTag } });
    expect(reopen.status).toBe(409);
    expect(reopen.json.code).toBe('InvalidStatusTransition');
    expect((await call(em, 'PUT', '/referrals/nope', { json: referralInput(), headers })).status).toBe(404);
  });
});
