// Every method against the emulator (through MSW), the headers each call sends, the wire
// routes, id encoding and error reporting.
import { inspect } from 'node:util';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { describe, expect, it, vi } from 'vitest';
import { routes } from '../../generated/routes.js';
import { createReferralsClient, PARTNER_CENTER_SCOPE, ReferralsApiError, type Referral } from '../../src/index.js';
import { BASE_URL, newReferral, TOKEN, useEmulator } from './emulator-harness.js';

// Made before MSW starts listening: the client must look fetch up per call, not at creation.
const early = createReferralsClient({ getToken: () => TOKEN });
const start = useEmulator();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PATH = '/v1.0/engagements/referrals';

describe('the seven actions', () => {
  it('createReferral posts the body and returns the stored referral (201)', async () => {
    const { client, emulator } = start();
    const created = await client.createReferral(newReferral());
    expect(created).toMatchObject({ id: expect.stringMatching(GUID), eTag: expect.stringMatching(/^".+"$/), name: 'Contoso opportunity', status: 'New' });
    expect(emulator.store.get(created.id!)).toMatchObject({ name: 'Contoso opportunity' });
    const [req] = emulator.requests;
    expect(req).toMatchObject({ method: 'POST', path: PATH, status: 201, operation: 'CreateReferral' });
    expect(JSON.parse(req!.body!)).toEqual(newReferral());
    expect(req!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' });
    expect(req!.headers['ms-correlationid']).toMatch(GUID);
    expect(req!.headers['ms-requestid']).toMatch(GUID);
  });

  it('getReferralById reads one referral and sends no MS-RequestId on a GET', async () => {
    const { client, emulator } = start({ count: 3 });
    const [stored] = emulator.store.list();
    const got = await client.getReferralById(stored!.id);
    expect(got).toMatchObject({ id: stored!.id, eTag: stored!.eTag });
    expect(emulator.requests[0]).toMatchObject({ method: 'GET', path: `${PATH}/${stored!.id}`, status: 200 });
    expect(emulator.requests[0]!.headers['ms-requestid']).toBeUndefined();
    expect(emulator.requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('getAllReferrals sends OData options with $ names and %20 for spaces', async () => {
    const { client, emulator } = start({ count: 30 });
    const page = await client.getAllReferrals({ filter: "status eq 'New' or status eq 'Active'", top: 5, count: true, orderby: 'createdDateTime desc' });
    const matching = emulator.store.list().filter((r) => r.status === 'New' || r.status === 'Active');
    expect(page.value).toHaveLength(Math.min(5, matching.length));
    expect(page['@odata.count']).toBe(matching.length);
    const created = page.value!.map((r) => r.createdDateTime!);
    expect(created).toEqual([...created].sort().reverse());
    expect(emulator.requests[0]!.path).toBe(
      // The URL parser turns the quotes into %27 on the way.
      `${PATH}?$filter=status%20eq%20%27New%27%20or%20status%20eq%20%27Active%27&$top=5&$count=true&$orderby=createdDateTime%20desc`,
    );
  });

  it('updateReferralById replaces with If-Match, and a stale eTag is a 412 ReferralsApiError', async () => {
    const { client, emulator } = start();
    const created = await client.createReferral(newReferral());
    const replaced = await client.updateReferralById(created.id!, { ...newReferral(), name: 'Renamed' }, { ifMatch: created.eTag! });
    expect(replaced).toMatchObject({ id: created.id, name: 'Renamed' });
    expect(replaced.eTag).not.toBe(created.eTag);
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'PUT', path: `${PATH}/${created.id}`, status: 200 });
    expect(emulator.requests.at(-1)!.headers['if-match']).toBe(created.eTag);

    const stale = client.updateReferralById(created.id!, newReferral(), { ifMatch: created.eTag! });
    await expect(stale).rejects.toMatchObject({ name: 'ReferralsApiError', status: 412, code: 'PreconditionFailed', operation: 'UpdateReferralById' });
    expect(emulator.store.get(created.id!)!.name).toBe('Renamed');
    // @ts-expect-error JavaScript callers get a clear error instead of a request without If-Match
    await expect(client.updateReferralById(created.id!, newReferral(), {})).rejects.toThrow(/needs options.ifMatch/);
  });

  it('patchReferralById answers 204 by default and the referral with prefer return=representation', async () => {
    const { client, emulator } = start();
    const created = await client.createReferral(newReferral());
    const none = await client.patchReferralById(created.id!, [{ op: 'replace', path: '/details/notes', value: 'first' }]);
    expect(none).toBeUndefined();
    expect(emulator.store.get(created.id!)!.details).toMatchObject({ notes: 'first' });
    const current = emulator.store.get(created.id!)!;
    const updated = await client.patchReferralById(created.id!, [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Accepted' }], {
      ifMatch: current.eTag,
      prefer: 'return=representation',
    });
    expect(updated).toMatchObject({ id: created.id, status: 'Active', substatus: 'Accepted' });
    const req = emulator.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'PATCH', path: `${PATH}/${created.id}`, status: 200 });
    expect(req.headers).toMatchObject({ 'if-match': current.eTag, prefer: 'return=representation', 'content-type': 'application/json' });
    expect(req.headers['ms-requestid']).toBeUndefined();
  });

  it('registers and updates a deal with PATCH /referrals/{id}, the endpoint Partner Center serves', async () => {
    const { client, emulator } = start();
    const created = await client.createReferral(newReferral());
    const withRegistration = await client.createDealRegistration(
      created.id!,
      { type: 'AzureIPCoSell', contract: { value: 50000, currency: 'USD', term: 'Perpetual' } },
      { prefer: 'return=representation' },
    );
    expect(withRegistration!.registrations).toHaveLength(1);
    expect(withRegistration!.registrations![0]).toMatchObject({ type: 'AzureIPCoSell', status: 'ReviewPending', contract: { value: 50000 } });
    const add = emulator.requests.at(-1)!;
    expect(add).toMatchObject({ method: 'PATCH', path: `${PATH}/${created.id}`, status: 200 });
    expect(JSON.parse(add.body!)).toEqual([{ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell', contract: { value: 50000, currency: 'USD', term: 'Perpetual' } } }]);
    expect(add.operation).toBe('PatchReferralById');
    // A PATCH declares no MS-RequestId: nothing says the service dedupes PATCHes by it.
    expect(add.headers['ms-requestid']).toBeUndefined();

    const patched = await client.updateDealRegistration(created.id!, [{ op: 'replace', path: '/registrations/0/contract/value', value: 75000 }]);
    expect(patched).toBeUndefined();
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `${PATH}/${created.id}`, status: 204, operation: 'PatchReferralById' });
    expect((emulator.store.get(created.id!)!.registrations as Array<{ contract: { value: number } }>)[0]!.contract.value).toBe(75000);
  });

  it('rejects bad patch documents before any request, naming the operation at fault', async () => {
    const { client, emulator } = start({ count: 1 });
    const id = emulator.store.list()[0]!.id;
    await expect(client.patchReferralById(id, [])).rejects.toThrow(/non-empty array/);
    // @ts-expect-error remove is not supported by the API
    await expect(client.patchReferralById(id, [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'remove', path: '/x' }])).rejects.toThrow(/operations\[1\] must be/);
    // @ts-expect-error a deal registration update patches paths under /registrations/
    await expect(client.updateDealRegistration(id, [{ op: 'replace', path: '/status', value: 'x' }])).rejects.toThrow(/path: "\/registrations\/…"/);
    // @ts-expect-error not an object
    await expect(client.createDealRegistration(id, null)).rejects.toThrow(/registration must be an object/);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('headers', () => {
  it('sends a fresh MS-CorrelationId per call unless given one', async () => {
    const { client, emulator } = start({ count: 2 });
    await client.getAllReferrals();
    await client.getAllReferrals();
    await client.getAllReferrals(undefined, { correlationId: 'a7c3e9d1-5b2f-4e8a-9c6d-1f3b5d7e9a2c' });
    const ids = emulator.requests.map((r) => r.headers['ms-correlationid']);
    expect(ids[0]).toMatch(GUID);
    expect(ids[1]).toMatch(GUID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe('a7c3e9d1-5b2f-4e8a-9c6d-1f3b5d7e9a2c');
  });

  it('sends one fresh MS-RequestId per create call, so two creates are two referrals', async () => {
    const { client, emulator } = start();
    const [a, b] = [await client.createReferral(newReferral()), await client.createReferral(newReferral())];
    expect(a.id).not.toBe(b.id);
    const [first, second] = emulator.requests.map((r) => r.headers['ms-requestid']);
    expect(first).toMatch(GUID);
    expect(second).toMatch(GUID);
    expect(first).not.toBe(second);
  });

  it('uses a caller-chosen MS-RequestId for createReferral, so a create repeated after a crash is not duplicated', async () => {
    const { client, emulator } = start();
    const requestId = crypto.randomUUID();
    const a = await client.createReferral(newReferral(), { requestId });
    const b = await client.createReferral(newReferral(), { requestId });
    expect(b.id).toBe(a.id);
    expect(emulator.store.size).toBe(1);
    expect(emulator.requests.map((r) => r.headers['ms-requestid'])).toEqual([requestId, requestId]);
  });

  it('sends User-Agent when configured', async () => {
    const { newClient, emulator } = start();
    await newClient({ userAgent: 'contoso-crm-sync/2.1' }).getAllReferrals();
    expect(emulator.requests[0]!.headers['user-agent']).toBe('contoso-crm-sync/2.1');
  });
});

describe('authentication', () => {
  function credential(tokens: string[]) {
    const getToken = vi.fn(async (_scopes: string | string[]): Promise<AccessToken> => ({ token: tokens.shift()!, expiresOnTimestamp: Date.now() + 3_600_000 }));
    return { getToken, credential: { getToken } satisfies TokenCredential };
  }

  it('asks a TokenCredential for the Partner Center scope and reuses the token', async () => {
    const { newClient, emulator } = start({ count: 1 });
    const { credential: cred, getToken } = credential(['cred-token-1']);
    const client = newClient({ credential: cred, getToken: undefined });
    await client.getAllReferrals();
    await client.getAllReferrals();
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(getToken.mock.calls[0]![0]).toBe(PARTNER_CENTER_SCOPE);
    expect(emulator.requests.map((r) => r.headers.authorization)).toEqual(['Bearer cred-token-1', 'Bearer cred-token-1']);
  });

  it('on 401 drops the cached credential token and tries once more with a new one', async () => {
    const { newClient, emulator } = start({ count: 1 });
    // "bad token!" is not a valid bearer value, so the emulator answers 401.
    const { credential: cred, getToken } = credential(['bad token!', 'good-token']);
    const page = await newClient({ credential: cred, getToken: undefined }).getAllReferrals();
    expect(page.value).toHaveLength(1);
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(emulator.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  it('a call giving up while the shared token request runs does not fail the other calls waiting for it', async () => {
    const { newClient, emulator } = start({ count: 1 });
    let release!: () => void;
    const getToken = vi.fn(
      (_scopes: string | string[], opts?: GetTokenOptions) =>
        new Promise<AccessToken>((resolve, reject) => {
          opts?.abortSignal?.addEventListener('abort', () => reject(new Error('token request cancelled')));
          release = () => resolve({ token: 'shared-token', expiresOnTimestamp: Date.now() + 3_600_000 });
        }),
    );
    const client = newClient({ credential: { getToken }, getToken: undefined });
    const ac = new AbortController();
    const first = client.getAllReferrals(undefined, { signal: ac.signal });
    const second = client.getAllReferrals();
    await new Promise((r) => setTimeout(r, 10));
    ac.abort(new Error('first gives up'));
    // The aborted call stops waiting at once, before the token arrives.
    await expect(first).rejects.toThrow('first gives up');
    release();
    expect((await second).value).toHaveLength(1);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(emulator.requests.map((r) => r.headers.authorization)).toEqual(['Bearer shared-token']);
  });

  it('a 401 that persists is a ReferralsApiError', async () => {
    const { newClient } = start();
    await expect(newClient({ getToken: () => 'not a token' }).getAllReferrals()).rejects.toMatchObject({ status: 401, code: 'Unauthorized' });
  });
});

describe('path ids', () => {
  it.each(['../referrals', 'a/b', 'x?$top=1', 'x#y', 'with space', '%2e%2e', 'a\\b', 'référence-✓-😀'])('keeps %j inside one path segment (404 for that id, never another resource)', async (id) => {
    const { client, emulator } = start({ count: 2 });
    const err = await client.getReferralById(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect(err).toMatchObject({ status: 404, code: 'NotFound', description: `Referral '${id}' was not found.` });
    const path = emulator.requests[0]!.path;
    expect(path).toBe(`${PATH}/${encodeURIComponent(id)}`);
    expect(path.indexOf('?')).toBe(-1);
  });

  it.each(['', ' ', '.', '..'])('refuses %j before any request', async (id) => {
    const { client, emulator } = start({ count: 1 });
    for (const call of [
      () => client.getReferralById(id),
      () => client.patchReferralById(id, [{ op: 'replace', path: '/status', value: 'Active' }]),
      () => client.updateReferralById(id, newReferral(), { ifMatch: '"x"' }),
      () => client.createDealRegistration(id, { type: 'AzureIPCoSell' }),
      () => client.updateDealRegistration(id, [{ op: 'replace', path: '/registrations/0/contract/value', value: 1 }]),
      () => client.updateReferral(id, () => {}),
    ]) {
      await expect(call()).rejects.toThrow(TypeError);
    }
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('carry status, code, description, ids and operation from the error body', async () => {
    const { client, emulator } = start();
    const err = (await client.getReferralById('00000000-0000-4000-8000-000000000000', { correlationId: 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b' }).catch((e: unknown) => e)) as ReferralsApiError;
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect(err).toMatchObject({ status: 404, code: 'NotFound', operation: 'GetReferralById', correlationId: 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b', source: 'PartnerReferrals' });
    expect(err.description).toContain('00000000-0000-4000-8000-000000000000');
    // No MS-RequestId on a GET: the service's Request-ID answer header is kept instead.
    expect(err.requestId).toMatch(GUID);
    expect(err.message).toBe(`GetReferralById failed: 404 NotFound: ${err.description}`);
    expect(emulator.requests).toHaveLength(1);
  });

  it('a 400 on create carries the MS-RequestId that was sent', async () => {
    const { client, emulator } = start();
    // @ts-expect-error customerProfile is required: the service answers 400
    const err = (await client.createReferral({ type: 'Independent', consent: {}, details: {} }).catch((e: unknown) => e)) as ReferralsApiError;
    expect(err).toMatchObject({ status: 400, operation: 'CreateReferral', requestId: emulator.requests[0]!.headers['ms-requestid'] });
  });

  it('never show the bearer token: message, JSON, util.inspect or cause chain', async () => {
    const { newClient } = start({ count: 1 });
    // A transport that fails with the request headers in its error, as some fetch wrappers do.
    const leaky = newClient({
      retry: false,
      fetch: async (_url, init) => {
        const auth = new Headers(init.headers).get('authorization');
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNRESET while sending authorization: ${auth}`), { code: 'ECONNRESET', headers: init.headers }) });
      },
    });
    const err = (await leaky.getAllReferrals().catch((e: unknown) => e)) as ReferralsApiError;
    expect(err).toMatchObject({ status: 0, code: 'NetworkError', operation: 'GetAllReferrals' });
    expect((err.cause as Error & { cause: { code: string } }).cause.code).toBe('ECONNRESET');
    const renderings = [err.message, String(err), err.stack!, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), inspect(err.cause, { depth: 10, showHidden: true })];
    for (const text of renderings) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.split('.')[2]);
    }
    expect(inspect(err, { depth: 10 })).toContain('[REDACTED]');
  });
});

it('a client created before MSW was listening still goes through it (fetch is looked up per call)', async () => {
  const { emulator } = start({ count: 2 });
  expect((await early.getAllReferrals()).value).toHaveLength(2);
  expect(emulator.requests).toHaveLength(1);
});

it('passes through values outside the documented enums and unknown fields, as real answers carry them', async () => {
  const { client, emulator } = start({ count: 1 });
  const id = emulator.store.list()[0]!.id;
  emulator.store.update(id, (r) => {
    Object.assign(r, { status: 'None', substatus: 'None', futureField: { x: 1 } });
    (r.details as Record<string, unknown>).salesStage = '40';
  });
  const got = await client.getReferralById(id);
  expect(got).toMatchObject({ status: 'None', substatus: 'None', futureField: { x: 1 }, details: { salesStage: '40' } });
  const listed = [];
  for await (const r of client.listReferrals()) listed.push(r);
  expect(listed[0]).toMatchObject({ status: 'None', details: { salesStage: '40' } });
  // updateReferral sends only what the mutator changed, never the unknown members it read.
  const updated = await client.updateReferral(id, (r) => {
    r.details.notes = 'still readable';
  });
  expect(updated).toMatchObject({ futureField: { x: 1 }, details: { notes: 'still readable', salesStage: '40' } });
  expect(JSON.parse(emulator.requests.at(-1)!.body!)).toEqual([{ op: 'replace', path: '/details/notes', value: 'still readable' }]);
});

it('exposes Referral typing on results', async () => {
  const { client } = start({ count: 1 });
  const page = await client.getAllReferrals();
  const first: Referral = page.value![0]!;
  expect(first.consent).toBeDefined();
  expect(BASE_URL).toBe('https://api.partner.microsoft.com/v1.0/engagements');
});
