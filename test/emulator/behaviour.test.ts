import { describe, expect, it } from 'vitest';
import { Throttle } from '../../src/emulator/core/throttle.js';
import { AUTH as AUTH_HEADERS, BASE, call, createReferral, manualClock, newEmulator, referralInput } from './helpers.js';

describe('auth', () => {
  it.each([
    [undefined, 'is missing'],
    ['Basic dXNlcjpwYXNz', 'is malformed'],
    ['Bearer', 'is malformed'],
    ['Bearer two tokens', 'is malformed'],
    ['token-without-scheme', 'is malformed'],
  ])('answers 401 to Authorization %j', async (value, text) => {
    const em = newEmulator({ count: 1 });
    const res = await call(em, 'GET', '/referrals', { headers: { authorization: value ?? '' } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json.code).toBe('Unauthorized');
    expect(res.json.description).toContain(text);
  });

  it('accepts any well-formed bearer token, scheme in any case', async () => {
    const em = newEmulator();
    expect((await call(em, 'GET', '/referrals', { headers: { authorization: 'bearer eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJ4In0.c2ln' } })).status).toBe(200);
  });
});

describe('routing', () => {
  it('answers 404 outside the real paths, including the connector-only ones', async () => {
    const em = newEmulator({ count: 1 });
    const id = em.store.list()[0]!.id;
    for (const path of [`/referrals/${id}/registrations`, `/referrals/${id}/`, `/referrals/${id}//`, '/triggers/referrals', '/referral', '/']) {
      const res = await call(em, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json.code).toBe('NotFound');
    }
    expect((await call(em, 'GET', 'https://api.partner.microsoft.com/v2.0/engagements/referrals')).status).toBe(404);
  });

  it('answers 405 with Allow for other methods', async () => {
    const em = newEmulator({ count: 1 });
    const id = em.store.list()[0]!.id;
    const del = await call(em, 'DELETE', `/referrals/${id}`);
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET, PUT, PATCH');
    const put = await call(em, 'PUT', '/referrals');
    expect(put.headers.allow).toBe('GET, POST');
    expect(em.store.size).toBe(1);
  });

  it('answers 406 when the client does not accept JSON', async () => {
    const em = newEmulator();
    expect((await call(em, 'GET', '/referrals', { headers: { accept: 'application/xml' } })).status).toBe(406);
    for (const accept of ['application/json', 'text/html, */*;q=0.1', 'application/*', 'application/json;odata.metadata=minimal']) {
      expect((await call(em, 'GET', '/referrals', { headers: { accept } })).status, accept).toBe(200);
    }
  });
});

describe('throttling', () => {
  it('allows 100 calls per 60 s per token by default, then 429 with Retry-After', async () => {
    const clock = manualClock();
    const em = newEmulator({ rateLimit: undefined, now: clock.now });
    for (let i = 0; i < 100; i++) {
      expect((await call(em, 'GET', '/referrals?$top=1')).status).toBe(200);
      clock.advance(100); // 100 calls over 10 s
    }
    const limited = await call(em, 'GET', '/referrals?$top=1');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('50');
    expect(limited.json.code).toBe('TooManyRequests');
    const otherToken = await call(em, 'GET', '/referrals?$top=1', { headers: { authorization: 'Bearer someone-else' } });
    expect(otherToken.status).toBe(200);
    clock.advance(50_000); // the first call leaves the window
    expect((await call(em, 'GET', '/referrals?$top=1')).status).toBe(200);
    expect((await call(em, 'GET', '/referrals?$top=1')).status).toBe(429);
  });

  it('is configurable and can be switched off', async () => {
    const clock = manualClock();
    const em = newEmulator({ rateLimit: { limit: 2, windowMs: 1000 }, now: clock.now });
    await call(em, 'GET', '/referrals');
    await call(em, 'GET', '/referrals');
    const limited = await call(em, 'GET', '/referrals');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    clock.advance(1000);
    expect((await call(em, 'GET', '/referrals')).status).toBe(200);

    const off = newEmulator({ rateLimit: false });
    for (let i = 0; i < 150; i++) expect((await call(off, 'GET', '/referrals?$top=1')).status).toBe(200);
  });

  it('sends Retry-After as the seconds until the oldest call leaves the window, rounded up, at least 1', async () => {
    const clock = manualClock();
    const em = newEmulator({ rateLimit: { limit: 2, windowMs: 10_000 }, now: clock.now });
    const get = () => call(em, 'GET', '/referrals');
    await get(); // t = 0: leaves the window at 10 000
    clock.advance(300);
    await get(); // t = 300
    clock.advance(1400); // t = 1 700: 8.3 s to wait
    expect((await get()).headers['retry-after']).toBe('9');
    clock.advance(8100); // t = 9 800: 0.2 s to wait
    expect((await get()).headers['retry-after']).toBe('1');
    clock.advance(200); // t = 10 000: the first call has left; the second leaves at 10 300
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json.description).toContain('retry after 1 seconds');
  });

  it('forgets tokens whose calls have all left the window, so a long-running server does not grow', () => {
    const clock = manualClock();
    const throttle = new Throttle({ limit: 2, windowMs: 60_000 }, clock.now);
    for (let i = 0; i < 5000; i++) throttle.take(`token-${i}`);
    expect(throttle.trackedTokens).toBe(5000); // all in the window: none may be forgotten
    clock.advance(60_000);
    for (let i = 0; i < 4000; i++) throttle.take(`fresh-${i}`);
    expect(throttle.trackedTokens).toBe(4000); // the 5000 idle ones were dropped on the way
    // Live tokens are kept and still limited.
    expect(throttle.take('fresh-1')).toBeUndefined();
    expect(throttle.take('fresh-1')).toBe(60);
  });

  it('rejects nonsense limits', () => {
    expect(() => newEmulator({ rateLimit: { limit: 0, windowMs: 1000 } })).toThrow(RangeError);
  });
});

describe('correlation and idempotency headers', () => {
  it('echoes MS-CorrelationId and sends a Request-ID', async () => {
    const em = newEmulator();
    const res = await call(em, 'GET', '/referrals', { headers: { 'MS-CorrelationId': '9d0b5b3e-1111-4c3a-8d8e-2f7a0c1b2d3e' } });
    expect(res.headers['ms-correlationid']).toBe('9d0b5b3e-1111-4c3a-8d8e-2f7a0c1b2d3e');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const error = await call(em, 'GET', '/nope', { headers: { 'ms-correlationid': 'abc' } });
    expect(error.headers['ms-correlationid']).toBe('abc');
  });

  it('replays the first result when a POST repeats its MS-RequestId', async () => {
    const em = newEmulator();
    const headers = { 'ms-requestid': '3f2504e0-4f89-41d3-9a0c-0305e82c3301' };
    const first = await call(em, 'POST', '/referrals', { json: referralInput(), headers });
    const again = await call(em, 'POST', '/referrals', { json: referralInput(), headers: { 'MS-RequestId': '3F2504E0-4F89-41D3-9A0C-0305E82C3301' } });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(em.store.size).toBe(1);
    const different = await call(em, 'POST', '/referrals', { json: referralInput({ name: 'Other' }), headers });
    expect(different.status).toBe(409);
    expect(different.json.code).toBe('RequestIdReused');
    const fresh = await call(em, 'POST', '/referrals', { json: referralInput(), headers: { 'ms-requestid': '3f2504e0-4f89-41d3-9a0c-0305e82c3302' } });
    expect(fresh.json.id).not.toBe(first.json.id);
    expect(em.store.size).toBe(2);
  });

  it('remembers the latest 10 000 request ids, forgetting the oldest first', async () => {
    const em = newEmulator();
    const rid = (i: number) => ({ 'ms-requestid': `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
    const body = referralInput();
    for (let i = 0; i <= 10_000; i++) await em.handle({ method: 'POST', url: `${BASE}/referrals`, headers: { ...AUTH_HEADERS, ...rid(i), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(em.store.size).toBe(10_001);
    expect((await call(em, 'POST', '/referrals', { json: body, headers: rid(10_000) })).status).toBe(201);
    expect(em.store.size).toBe(10_001); // still remembered: replayed
    expect((await call(em, 'POST', '/referrals', { json: body, headers: rid(0) })).status).toBe(201);
    expect(em.store.size).toBe(10_002); // forgotten: created again
  });

  it('does not remember failed creates', async () => {
    const em = newEmulator();
    const headers = { 'ms-requestid': '3f2504e0-4f89-41d3-9a0c-0305e82c3303' };
    em.injectFault({ kind: 500 });
    expect((await call(em, 'POST', '/referrals', { json: referralInput(), headers })).status).toBe(500);
    expect((await call(em, 'POST', '/referrals', { json: referralInput(), headers })).status).toBe(201);
    expect(em.store.size).toBe(1);
  });
});

describe('fault injection', () => {
  it('fails the next N matching calls with 500, 503 or 429, then recovers', async () => {
    const em = newEmulator({ count: 2 });
    em.injectFault({ kind: 503, count: 2, match: { method: 'get' } });
    em.injectFault({ kind: 429, retryAfterSeconds: 3, match: { operation: 'CreateReferral' } });
    em.injectFault({ kind: 500 });
    expect(em.pendingFaults).toBe(4);
    const created = await call(em, 'POST', '/referrals', { json: referralInput() });
    expect(created.status).toBe(429);
    expect(created.headers['retry-after']).toBe('3');
    expect(em.store.size).toBe(2);
    const first = await call(em, 'GET', '/referrals');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect((await call(em, 'GET', '/referrals')).status).toBe(503);
    const server = await call(em, 'GET', '/referrals');
    expect(server.status).toBe(500);
    expect(server.json).toMatchObject({ code: 'InternalServerError', source: 'PartnerReferrals' });
    expect((await call(em, 'GET', '/referrals')).status).toBe(200);
    expect(em.pendingFaults).toBe(0);
  });

  it('strikes before auth, so even a bad request sees the outage', async () => {
    const em = newEmulator();
    em.injectFault({ kind: 503, retryAfterSeconds: 2 });
    expect((await call(em, 'GET', '/referrals', { headers: { authorization: '' } })).status).toBe(503);
  });

  it('can lose the answer after the change is committed', async () => {
    const em = newEmulator();
    em.injectFault({ kind: 'hang', afterProcessing: true, match: { operation: 'CreateReferral' } });
    const lost = await call(em, 'POST', '/referrals', { json: referralInput(), headers: { 'ms-requestid': 'a1a1a1a1-0000-4000-8000-000000000001' } });
    expect(lost).toMatchObject({ status: 0, fault: 'hang' });
    expect(em.store.size).toBe(1);
    const retry = await call(em, 'POST', '/referrals', { json: referralInput(), headers: { 'ms-requestid': 'a1a1a1a1-0000-4000-8000-000000000001' } });
    expect(retry.status).toBe(201);
    expect(retry.json.id).toBe(em.store.list()[0]!.id);
    expect(em.store.size).toBe(1);

    em.injectFault({ kind: 500, afterProcessing: true });
    expect((await call(em, 'POST', '/referrals', { json: referralInput() })).status).toBe(500);
    expect(em.store.size).toBe(2);
  });

  it('marks reset, hang and truncate for the adapters and logs them', async () => {
    const em = newEmulator({ count: 1 });
    em.injectFault({ kind: 'reset' });
    em.injectFault({ kind: 'truncate' });
    expect(await call(em, 'GET', '/referrals')).toMatchObject({ status: 0, fault: 'reset' });
    const truncated = await em.handle({ method: 'GET', url: `${BASE}/referrals`, headers: { authorization: 'Bearer t' } });
    expect(truncated.fault).toBe('truncate');
    expect(truncated.status).toBe(200);
    expect(JSON.parse(truncated.body!).value).toHaveLength(1); // the adapter cuts it
    expect(em.requests.map((r) => [r.status, r.fault])).toEqual([
      [0, 'reset'],
      [200, 'truncate'],
    ]);
  });

  it('rejects unknown kinds and counts', () => {
    const em = newEmulator();
    expect(() => em.injectFault({ kind: 502 as 500 })).toThrow(/Unknown fault kind 502/);
    expect(() => em.injectFault({ kind: 500, count: 0 })).toThrow(RangeError);
  });
});

describe('request log, store helpers and reset', () => {
  it('logs method, path, operation, headers, body and status', async () => {
    const em = newEmulator({ requestLogLimit: 3 });
    const created = await createReferral(em);
    await call(em, 'GET', `/referrals/${created.id}?x=1`);
    await call(em, 'GET', '/referrals');
    await call(em, 'GET', '/missing');
    expect(em.requests).toHaveLength(3);
    expect(em.requests[0]).toMatchObject({ method: 'GET', path: `/v1.0/engagements/referrals/${created.id}?x=1`, operation: 'GetReferralById', status: 200 });
    expect(em.requests[0]!.headers.authorization).toBe('Bearer test-token');
    expect(em.requests[2]).toMatchObject({ path: '/v1.0/engagements/missing', status: 404 });
    expect(em.requests[2]).not.toHaveProperty('operation');
  });

  it('inserts fixtures, filling server fields, and hands out copies', async () => {
    const clock = manualClock('2026-02-02T02:02:02.000Z');
    const em = newEmulator({ now: clock.now });
    const stored = em.store.insert({ ...referralInput(), status: 'Active', substatus: 'Accepted', links: { self: { uri: 'x' } } });
    expect(stored).toMatchObject({ createdDateTime: '2026-02-02T02:02:02.000Z', updatedDateTime: '2026-02-02T02:02:02.000Z', status: 'Active' });
    expect(stored.eTag).toMatch(/^".+"$/);
    expect(stored).not.toHaveProperty('links');
    (em.store.get(stored.id) as Record<string, unknown>).name = 'mutated copy';
    expect(em.store.get(stored.id)!.name).toBe('Contoso Azure migration');
    const fixedId = '0d5c6a52-8f1e-4c7b-9a3d-5e2f1b0c9d8e';
    const fixed = em.store.insert({ id: fixedId, eTag: '"v1"', ...referralInput() });
    expect((await call(em, 'GET', `/referrals/${fixedId}`)).headers.etag).toBe('"v1"');
    clock.advance(1000);
    const updated = em.store.update(fixed.id, (r) => {
      r.name = 'Changed by Microsoft';
    });
    expect(updated.eTag).not.toBe('"v1"');
    expect(updated.updatedDateTime).toBe('2026-02-02T02:02:03.000Z');
    expect(em.store.size).toBe(2);
    expect(em.store.list().map((r) => r.id)).toEqual([stored.id, fixedId]);
    expect(() => em.store.update('missing', () => {})).toThrow(/No referral/);
    em.store.clear();
    expect(em.store.size).toBe(0);
  });

  it('keeps registrationStatus in step when a test changes the registration as the service would', async () => {
    const em = newEmulator();
    const created = await createReferral(em);
    await call(em, 'PATCH', `/referrals/${created.id}`, { json: [{ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell' } }] });
    expect(em.store.get(created.id)!.registrationStatus).toBe('ReviewPending');
    em.store.update(created.id, (r) => {
      (r.registrations as Array<Record<string, unknown>>)[0]!.status = 'Passed';
    });
    expect(em.store.get(created.id)!.registrationStatus).toBe('Passed');
    // What a CRM sync filters on finds it.
    const found = await call(em, 'GET', `/referrals?$filter=${encodeURIComponent("registrationStatus eq 'Passed'")}`);
    expect(found.json.value.map((r: { id: string }) => r.id)).toEqual([created.id]);
  });

  it('reset() returns to the seeded state with empty logs, faults and quotas', async () => {
    const clock = manualClock();
    const em = newEmulator({ count: 5, now: clock.now, rateLimit: { limit: 3, windowMs: 60_000 } });
    const initial = em.store.list();
    await createReferral(em);
    await call(em, 'PATCH', `/referrals/${initial[0]!.id}`, { json: [{ op: 'replace', path: '/name', value: 'x' }] });
    expect((await call(em, 'GET', '/referrals')).status).toBe(200);
    expect((await call(em, 'GET', '/referrals')).status).toBe(429);
    em.injectFault({ kind: 500 });
    em.reset();
    expect(em.store.list()).toEqual(initial);
    expect(em.requests).toEqual([]);
    expect(em.pendingFaults).toBe(0);
    expect((await call(em, 'GET', '/referrals')).status).toBe(200);
  });

  it('reset() restores the same seeded data after the clock has moved on by days', () => {
    const clock = manualClock();
    const em = newEmulator({ count: 5, now: clock.now });
    const initial = em.store.list();
    clock.advance(3 * 86_400_000);
    em.reset();
    expect(em.store.list()).toEqual(initial);
  });

  it('validates its options', () => {
    expect(() => newEmulator({ maxPageSize: 0 })).toThrow(RangeError);
    expect(() => newEmulator({ count: -1 })).toThrow(RangeError);
  });
});
