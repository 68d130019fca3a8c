// Inputs where the spec and the emulator used to disagree (issue 17; schemathesis found each):
// what the spec declares about headers is enforced, an empty If-Match is refused rather than
// read as "no precondition", and a malformed body is a 400 whatever the If-Match says.
import { describe, expect, it } from 'vitest';
import { AUTH, BASE, call, createReferral, newEmulator, referralInput } from './helpers.js';

const GUID = '3b2f0c1e-6d4a-4f8b-9c2e-1a3b5c7d9e0f';

/** `handle()` directly: the `call` helper drops empty headers, and these tests send them. */
async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const em = newEmulator({ count: 2, seed: 3 });
  const id = em.store.list()[0]!.id;
  const res = await em.handle({ method, url: BASE + path.replace('{id}', id), headers: { ...AUTH, ...headers }, body });
  return { status: res.status, json: res.body ? JSON.parse(res.body) : undefined };
}

describe('headers are held to their declared format', () => {
  it.each([
    ['GET', '/referrals', 'ms-correlationid', 'not-a-guid', 'header MS-CorrelationId: must be a valid uuid'],
    ['GET', '/referrals/{id}', 'ms-correlationid', '', 'header MS-CorrelationId: must be a valid uuid'],
    ['POST', '/referrals', 'ms-requestid', '12345', 'header MS-RequestId: must be a valid uuid'],
    ['PATCH', '/referrals/{id}', 'prefer', 'return=everything', 'header Prefer: must be one of return=representation, return=minimal'],
    // API-wide: a connector action can carry MS-RequestId onto PATCH, which does not declare it.
    ['PATCH', '/referrals/{id}', 'ms-requestid', '', 'header MS-RequestId: must be a valid uuid'],
    ['PATCH', '/referrals/{id}', 'if-match', '', 'header If-Match: must not be empty'],
    ['PUT', '/referrals/{id}', 'if-match', '', 'header If-Match: must not be empty'],
  ])('%s %s with %s %j is 400 InvalidHeader', async (method, path, name, value, description) => {
    const body = method === 'GET' ? undefined : JSON.stringify(method === 'PATCH' ? [{ op: 'replace', path: '/name', value: 'x' }] : referralInput());
    const headers: Record<string, string> = { [name]: value, ...(body ? { 'content-type': 'application/json' } : {}) };
    const res = await send(method, path, headers, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'InvalidHeader', source: 'PartnerReferrals' });
    expect(res.json.description).toContain(description);
  });

  it('accepts GUIDs in either case and every Prefer the spec lists', async () => {
    const em = newEmulator();
    const created = await createReferral(em);
    const upper = await call(em, 'GET', `/referrals/${created.id}`, { headers: { 'ms-correlationid': GUID.toUpperCase() } });
    expect(upper.status).toBe(200);
    for (const prefer of ['return=representation', 'return=minimal']) {
      const res = await call(em, 'PATCH', `/referrals/${created.id}`, { json: [{ op: 'replace', path: '/name', value: prefer }], headers: { prefer } });
      expect(res.status).toBe(prefer === 'return=minimal' ? 204 : 200);
    }
  });
});

describe('order of checks: the body before the precondition', () => {
  it.each([
    ['PUT', '\u0000', 'InvalidJson'],
    ['PUT', '[]', 'InvalidBody'],
    ['PATCH', '\u0000', 'InvalidJson'],
    ['PATCH', '[{"op":"add","path":"/name"}]', 'InvalidPatchOperation'],
    ['PATCH', '[{"op":"replace","path":"/nonsense","value":1}]', 'InvalidPatchPath'],
    ['PATCH', '[{"op":"add","path":"/registrations/-","value":{"contract":{"startDateTime":"AAA"}}}]', 'InvalidReferral'],
  ])('%s with body %j and a stale If-Match is 400 %s, not 412', async (method, body, code) => {
    const res = await send(method, '/referrals/{id}', { 'if-match': '"stale"', 'content-type': 'application/json' }, body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(code);
  });

  it('a valid body with a stale If-Match is still 412, and a missing referral 404 before it', async () => {
    const put = await send('PUT', '/referrals/{id}', { 'if-match': '"stale"', 'content-type': 'application/json' }, JSON.stringify(referralInput()));
    expect(put.status).toBe(412);
    const missing = await send('PATCH', `/referrals/${GUID}`, { 'if-match': '"stale"', 'content-type': 'application/json' }, '[{"op":"replace","path":"/name","value":"x"}]');
    expect(missing.status).toBe(404);
  });
});

describe('$top and $skip take the whole int32 range the spec declares', () => {
  it.each([
    ['$top=2147483647', 200],
    ['$top=500', 200],
    ['$skip=2147483647', 200],
    ['$top=2147483648', 400],
    ['$skip=-1', 400],
  ])('%s is %d; a $top above the page size is capped, not refused', async (query, status) => {
    const em = newEmulator({ count: 3, maxPageSize: 2 });
    const res = await call(em, 'GET', `/referrals?${query}`);
    expect(res.status, res.body).toBe(status);
    if (status === 200 && query.startsWith('$top')) expect(res.json.value).toHaveLength(2);
  });
});
