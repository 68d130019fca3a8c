import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReferralsHandlers, ReferralsEmulator } from '../../src/emulator/msw.js';
import { BASE, newEmulator, referralInput } from './helpers.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const auth = { authorization: 'Bearer msw-token' };

function use(emulator: ReferralsEmulator, baseUrl?: string): ReferralsEmulator {
  server.use(...createReferralsHandlers({ emulator, baseUrl }));
  return emulator;
}

describe('MSW handlers', () => {
  it('serve the emulator at the real host: create, read, list, patch', async () => {
    const em = use(newEmulator({ count: 12 }));
    const created = await fetch(`${BASE}/referrals`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'ms-correlationid': 'c0ffee00-0000-4000-8000-000000000001' },
      body: JSON.stringify(referralInput()),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('ms-correlationid')).toBe('c0ffee00-0000-4000-8000-000000000001');
    const body = await created.json();

    const got = await fetch(`${BASE}/referrals/${body.id}`, { headers: auth });
    expect(await got.json()).toEqual(body);

    const patched = await fetch(`${BASE}/referrals/${body.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json', 'if-match': body.eTag },
      body: JSON.stringify([{ op: 'replace', path: '/name', value: 'Via MSW' }]),
    });
    expect(patched.status).toBe(204);
    expect(await patched.text()).toBe('');
    expect(patched.headers.get('etag')).toBe(em.store.get(body.id)!.eTag);

    const list = await fetch(`${BASE}/referrals?$top=5&$count=true`, { headers: auth });
    const page = await list.json();
    expect(page['@odata.count']).toBe(13);
    const next = await fetch(page['@odata.nextLink'], { headers: auth });
    expect((await next.json()).value).toHaveLength(5);
    expect(em.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'GET 200', 'PATCH 204', 'GET 200', 'GET 200']);
  });

  it('answer 404 on the connector-only paths and 401 without a token', async () => {
    const em = use(newEmulator({ count: 1 }));
    const id = em.store.list()[0]!.id;
    const registrations = await fetch(`${BASE}/referrals/${id}/registrations`, { method: 'POST', headers: auth });
    expect(registrations.status).toBe(404);
    const trigger = await fetch('https://api.partner.microsoft.com/v1.0/engagements/triggers/referrals', { headers: auth });
    expect(trigger.status).toBe(404);
    const anonymous = await fetch(`${BASE}/referrals`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'Unauthorized' });
  });

  it('use a configurable base URL', async () => {
    use(newEmulator({ count: 2 }), 'http://localhost:8123/');
    const res = await fetch('http://localhost:8123/v1.0/engagements/referrals', { headers: auth });
    expect((await res.json()).value).toHaveLength(2);
  });

  it('create an emulator of their own when given none', async () => {
    server.use(...createReferralsHandlers());
    const res = await fetch(`${BASE}/referrals`, { headers: auth });
    expect(res.status).toBe(200);
    expect((await res.json()).value).toEqual([]);
  });

  it('turn injected faults into network behaviour', async () => {
    const em = use(newEmulator({ count: 3 }));
    em.injectFault({ kind: 'reset' });
    await expect(fetch(`${BASE}/referrals`, { headers: auth })).rejects.toThrow(TypeError);

    em.injectFault({ kind: 'hang' });
    const started = Date.now();
    await expect(fetch(`${BASE}/referrals`, { headers: auth, signal: AbortSignal.timeout(150) })).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeLessThan(5000);

    em.injectFault({ kind: 'truncate' });
    const cut = await fetch(`${BASE}/referrals`, { headers: auth });
    expect(cut.status).toBe(200);
    await expect(cut.json()).rejects.toThrow();

    em.injectFault({ kind: 503, retryAfterSeconds: 7 });
    const unavailable = await fetch(`${BASE}/referrals`, { headers: auth });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('7');

    const fine = await fetch(`${BASE}/referrals`, { headers: auth });
    expect((await fine.json()).value).toHaveLength(3);
    expect(em.requests.map((r) => r.fault ?? r.status)).toEqual(['reset', 'hang', 'truncate', 503, 200]);
  });

  it('drop the connection for a truncated answer that has no body', async () => {
    const em = use(newEmulator({ count: 1 }));
    const id = em.store.list()[0]!.id;
    em.injectFault({ kind: 'truncate', match: { operation: 'PatchReferralById' } });
    await expect(
      fetch(`${BASE}/referrals/${id}`, {
        method: 'PATCH',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify([{ op: 'replace', path: '/name', value: 'x' }]),
      }),
    ).rejects.toThrow(TypeError);
    expect(em.store.get(id)!.name).toBe('x'); // processed, then the answer was lost
  });
});
