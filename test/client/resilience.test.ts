// Retries, throttling, timeouts and fault injection, on fake timers: the emulator's clock and
// the client's waits both run on vi's clock, so nothing here depends on wall-clock time.
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReferralsApiError } from '../../src/index.js';
import { newReferral, useEmulator } from './emulator-harness.js';

const start = useEmulator();
const T0 = Date.parse('2025-03-01T00:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Milliseconds since T0 at which the emulator received each request. */
const times = (requests: { time: string }[]) => requests.map((r) => Date.parse(r.time) - T0);
/** Settles a promise into a value or the error, so a rejection is never unhandled while timers run. */
const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));

describe('Retry-After', () => {
  it('waits exactly Retry-After on 503, then succeeds', async () => {
    const { client, emulator } = start({ count: 3 });
    emulator.injectFault({ kind: 503, retryAfterSeconds: 2 });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(1999);
    expect(emulator.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await p).value).toHaveLength(3);
    expect(times(emulator.requests)).toEqual([0, 2000]);
  });

  it('rides out a 429 storm, one Retry-After apart, even for a non-idempotent call', async () => {
    const { client, emulator } = start({ count: 1 });
    const id = emulator.store.list()[0]!.id;
    const teamBefore = (emulator.store.get(id)!.team as unknown[] | undefined)?.length ?? 0;
    emulator.injectFault({ kind: 429, count: 3, retryAfterSeconds: 1 });
    // Appending to /team is not idempotent, but a 429 means the call was not executed.
    const p = client.patchReferralById(id, [{ op: 'add', path: '/team/-', value: { firstName: 'Ann', lastName: 'Lee', email: 'ann@fabrikam.com' } }]);
    await vi.advanceTimersByTimeAsync(3000);
    await p;
    expect(times(emulator.requests)).toEqual([0, 1000, 2000, 3000]);
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 429, 204]);
    expect(emulator.store.get(id)!.team).toHaveLength(teamBefore + 1);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const { newClient, emulator } = start({ count: 1 });
    let throttled = 1;
    const client = newClient({
      fetch: async (url, init) =>
        throttled-- > 0
          ? new Response('{"code":"TooManyRequests"}', { status: 429, headers: { 'retry-after': new Date(Date.now() + 3000).toUTCString() } })
          : globalThis.fetch(url, init),
    });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(2999);
    expect(emulator.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect((await p).value).toHaveLength(1);
    expect(times(emulator.requests)).toEqual([3000]);
  });

  it('gives up at once, with retryAfterMs, when Retry-After exceeds the time budget', async () => {
    const { client, emulator } = start();
    emulator.injectFault({ kind: 429, retryAfterSeconds: 600 });
    const err = (await client.getAllReferrals().catch((e: unknown) => e)) as ReferralsApiError;
    expect(err).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterMs: 600_000 });
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('exponential backoff', () => {
  it('backs off 250, 500, 1000, 2000 ms (jitter 0) and then reports the last 500', async () => {
    const { client, emulator } = start({}, { retry: { random: () => 0 } });
    emulator.injectFault({ kind: 500, count: 10 });
    const p = settle(client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(10_000);
    const { error } = (await p) as { error: ReferralsApiError };
    expect(error).toBeInstanceOf(ReferralsApiError);
    expect(error).toMatchObject({ status: 500, code: 'InternalServerError', operation: 'GetAllReferrals' });
    expect(times(emulator.requests)).toEqual([0, 250, 750, 1750, 3750]);
  });

  it('spreads waits by the injected jitter, at most one full step', async () => {
    const { client, emulator } = start({ count: 1 }, { retry: { random: () => 0.999 } });
    emulator.injectFault({ kind: 500, count: 2 });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(2000);
    await p;
    const [a, b, c] = times(emulator.requests);
    expect(b! - a!).toBeGreaterThan(490);
    expect(b! - a!).toBeLessThanOrEqual(500);
    expect(c! - b!).toBeGreaterThan(990);
    expect(c! - b!).toBeLessThanOrEqual(1000);
  });

  it('never runs past maxElapsedMs in total', async () => {
    const { client, emulator } = start({}, { retry: { maxRetries: 100, baseDelayMs: 1000, maxDelayMs: 4000, maxElapsedMs: 10_000, random: () => 1 } });
    emulator.injectFault({ kind: 500, count: 1000 });
    let settledAt = 0;
    const p = settle(client.getAllReferrals()).finally(() => (settledAt = Date.now() - T0));
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await p) as { error: ReferralsApiError }).toMatchObject({ error: { status: 500 } });
    // Waits of 1000, 2000, 4000 fit in 10 s; the next 4000 would not.
    expect(times(emulator.requests)).toEqual([0, 1000, 3000, 7000]);
    expect(settledAt).toBe(7000);
  });

  it('retry: false makes exactly one attempt', async () => {
    const { client, emulator } = start({}, { retry: false });
    emulator.injectFault({ kind: 503, retryAfterSeconds: 1 });
    await expect(client.getAllReferrals()).rejects.toMatchObject({ status: 503, retryAfterMs: 1000 });
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('network faults', () => {
  it('retries a reset connection on a GET', async () => {
    const { client, emulator } = start({ count: 2 }, { retry: { random: () => 0 } });
    emulator.injectFault({ kind: 'reset', count: 2 });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await p).value).toHaveLength(2);
    expect(emulator.requests.map((r) => r.fault ?? r.status)).toEqual(['reset', 'reset', 200]);
  });

  it('times out a hanging answer after timeoutMs and retries', async () => {
    const { client, emulator } = start({ count: 2 }, { timeoutMs: 5000, retry: { random: () => 0 } });
    emulator.injectFault({ kind: 'hang' });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(4999);
    expect(emulator.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 250);
    expect((await p).value).toHaveLength(2);
    expect(times(emulator.requests)).toEqual([0, 5250]);
  });

  it('a per-call timeoutMs overrides the client-wide one', async () => {
    const { client, emulator } = start({}, { retry: false });
    emulator.injectFault({ kind: 'hang' });
    const p = settle(client.getAllReferrals(undefined, { timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await p).toMatchObject({ error: { status: 0, code: 'Timeout', description: 'GET https://api.partner.microsoft.com/v1.0/engagements/referrals: no complete answer within 1000 ms' } });
  });

  it('a timeoutMs beyond setTimeout\'s 2^31-1 ms (client-wide or per call, or Infinity) does not fire at once', async () => {
    const { newClient, emulator } = start({ count: 1 });
    const cases: [number | undefined, number | undefined][] = [
      [2 ** 31, undefined],
      [undefined, 2 ** 32],
      [Infinity, undefined],
    ];
    for (const [clientWide, perCall] of cases) {
      emulator.injectFault({ kind: 'hang' });
      const ac = new AbortController();
      const p = settle(newClient({ retry: false, timeoutMs: clientWide }).getAllReferrals(undefined, { signal: ac.signal, timeoutMs: perCall }));
      await vi.advanceTimersByTimeAsync(60_000);
      ac.abort(new Error('still waiting, as it should'));
      expect(await p).toMatchObject({ error: { message: 'still waiting, as it should' } });
    }
    expect(emulator.requests).toHaveLength(3);
  });

  it('reports a timeout that persists as status 0, code Timeout', async () => {
    const { client, emulator } = start({}, { timeoutMs: 1000, retry: false });
    emulator.injectFault({ kind: 'hang' });
    const p = settle(client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(1000);
    expect(await p).toMatchObject({ error: { name: 'ReferralsApiError', status: 0, code: 'Timeout', description: 'GET https://api.partner.microsoft.com/v1.0/engagements/referrals: no complete answer within 1000 ms' } });
  });

  it('retries a body cut off mid-way, and without retries reports it as a ReferralsApiError, not a SyntaxError', async () => {
    const { client, emulator } = start({ count: 4 }, { retry: { random: () => 0 } });
    emulator.injectFault({ kind: 'truncate' });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(250);
    expect((await p).value).toHaveLength(4);
    expect(emulator.requests.map((r) => r.fault ?? r.status)).toEqual(['truncate', 200]);

    const once = start({ count: 4 }, { retry: false });
    once.emulator.injectFault({ kind: 'truncate' });
    const err = await once.client.getAllReferrals().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect(err).toMatchObject({ status: 0, code: 'NetworkError', operation: 'GetAllReferrals' });
  });

  it('an answer that is complete but not JSON is an InvalidResponseBody error, retried for a GET', async () => {
    let cut = 1;
    const { newClient, emulator } = start({ count: 2 });
    // A proxy that once drops the end of a 200 body but fixes Content-Length.
    const client = newClient({
      retry: { random: () => 0 },
      fetch: async (url, init) => {
        const res = await globalThis.fetch(url, init);
        const text = await res.text();
        return new Response(cut-- > 0 ? text.slice(0, 40) : text, { status: res.status, headers: { 'content-type': 'application/json' } });
      },
    });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(250);
    expect((await p).value).toHaveLength(2);
    expect(emulator.requests).toHaveLength(2);

    cut = 1;
    const err = await newClient({ retry: false, fetch: async (url, init) => new Response((await (await globalThis.fetch(url, init)).text()).slice(0, 40), { status: 200 }) })
      .getAllReferrals()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect(err).toMatchObject({ status: 200, code: 'InvalidResponseBody' });
    expect((err as ReferralsApiError).description).toMatch(/^Body is not valid JSON: \{"@odata.context"/);
  });

  it('a 2xx without the JSON body the operation promises is an InvalidResponseBody error, not undefined', async () => {
    const { newClient, emulator } = start({ count: 1 });
    const client = newClient({ retry: false, fetch: async () => new Response('', { status: 200 }) });
    await expect(client.getReferralById(emulator.store.list()[0]!.id)).rejects.toMatchObject({ name: 'ReferralsApiError', status: 200, code: 'InvalidResponseBody' });
    const list = async () => {
      for await (const _ of client.listReferrals());
    };
    await expect(list()).rejects.toMatchObject({ name: 'ReferralsApiError', code: 'InvalidResponseBody', operation: 'GetAllReferrals' });
    await expect(client.createReferral(newReferral())).rejects.toMatchObject({ code: 'InvalidResponseBody', operation: 'CreateReferral' });
  });

  it('never keeps the start of a token that the preview of a non-JSON body cuts through', async () => {
    const secret = 'opaque-secret-token-123';
    const { newClient } = start();
    const client = newClient({ retry: false, getToken: () => secret, fetch: async () => new Response(`echo:${'x'.repeat(60)}${secret}`, { status: 200 }) });
    const err = (await client.getAllReferrals().catch((e: unknown) => e)) as ReferralsApiError;
    expect(err).toMatchObject({ code: 'InvalidResponseBody' });
    expect(JSON.stringify(err)).not.toContain('opaque-secret');
  });
});

describe('no duplicate creates', () => {
  it.each([
    ['the answer is cut off', { kind: 'truncate' as const }],
    ['the service fails after storing it', { kind: 500 as const, afterProcessing: true }],
    ['the connection resets after it is stored', { kind: 'reset' as const, afterProcessing: true }],
    ['the answer never comes', { kind: 'hang' as const, afterProcessing: true }],
  ])('when %s, retries the POST with the same MS-RequestId and the referral exists once', async (_, fault) => {
    const { client, emulator } = start({}, { timeoutMs: 2000, retry: { random: () => 0 } });
    emulator.injectFault({ ...fault, match: { operation: 'CreateReferral' } });
    const p = client.createReferral(newReferral());
    await vi.advanceTimersByTimeAsync(3000);
    const created = await p;
    expect(emulator.store.size).toBe(1);
    expect(emulator.store.list()[0]!.id).toBe(created.id);
    expect(emulator.requests).toHaveLength(2);
    const [first, second] = emulator.requests;
    expect(second!.headers['ms-requestid']).toBe(first!.headers['ms-requestid']);
    expect(second!.headers['ms-correlationid']).toBe(first!.headers['ms-correlationid']);
  });

  it('does not repeat a deal-registration append after an unknown outcome unless If-Match guards it', async () => {
    const { client, emulator } = start({ count: 0 });
    const created = await client.createReferral(newReferral());
    emulator.requests.length = 0;
    emulator.injectFault({ kind: 500, afterProcessing: true, match: { method: 'PATCH' } });
    await expect(client.createDealRegistration(created.id!, { type: 'AzureIPCoSell' })).rejects.toMatchObject({ status: 500 });
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.store.get(created.id!)!.registrations).toHaveLength(1);

    // With If-Match, the repeat is refused by the eTag check instead of applied twice.
    const other = await client.createReferral(newReferral('Fabrikam'));
    emulator.requests.length = 0;
    emulator.injectFault({ kind: 500, afterProcessing: true, match: { method: 'PATCH' } });
    const p = settle(client.createDealRegistration(other.id!, { type: 'AzureIPCoSell' }, { ifMatch: other.eTag! }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await p).toMatchObject({ error: { status: 412 } });
    expect(emulator.requests.map((r) => r.status)).toEqual([500, 412]);
    expect(emulator.store.get(other.id!)!.registrations).toHaveLength(1);
  });

  it('does not repeat a non-idempotent patch after a reset, but does repeat an idempotent one', async () => {
    const { client, emulator } = start({ count: 1 }, { retry: { random: () => 0 } });
    const id = emulator.store.list()[0]!.id;
    const teamBefore = (emulator.store.get(id)!.team as unknown[] | undefined)?.length ?? 0;
    emulator.injectFault({ kind: 'reset', afterProcessing: true });
    const member = { firstName: 'Ann', lastName: 'Lee', email: 'ann@fabrikam.com' };
    await expect(client.patchReferralById(id, [{ op: 'add', path: '/team/-', value: member }])).rejects.toMatchObject({ status: 0, code: 'NetworkError' });
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.store.get(id)!.team).toHaveLength(teamBefore + 1);

    emulator.injectFault({ kind: 'reset', afterProcessing: true });
    const p = client.patchReferralById(id, [{ op: 'replace', path: '/details/notes', value: 'same twice' }]);
    await vi.advanceTimersByTimeAsync(250);
    await p;
    expect(emulator.requests).toHaveLength(3);
    expect(emulator.store.get(id)!.details).toMatchObject({ notes: 'same twice' });
  });
});

describe('cancellation', () => {
  it('an AbortSignal cancels the wait for Retry-After; no request follows', async () => {
    const { client, emulator } = start();
    emulator.injectFault({ kind: 503, retryAfterSeconds: 30 });
    const ac = new AbortController();
    const p = settle(client.getAllReferrals(undefined, { signal: ac.signal }));
    await vi.advanceTimersByTimeAsync(5000);
    ac.abort(new Error('sync cancelled'));
    expect(await p).toMatchObject({ error: { message: 'sync cancelled' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(emulator.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an AbortSignal cancels a retry waiting out a 429 in the throttle; no timer or request follows', async () => {
    const { client, emulator } = start();
    emulator.injectFault({ kind: 429, retryAfterSeconds: 30 });
    const ac = new AbortController();
    const p = settle(client.getAllReferrals(undefined, { signal: ac.signal }));
    await vi.advanceTimersByTimeAsync(5000);
    ac.abort(new Error('sync cancelled'));
    expect(await p).toMatchObject({ error: { message: 'sync cancelled' } });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(emulator.requests).toHaveLength(1);
  });

  it('the client-wide signal cancels a request in flight and every later call', async () => {
    const ac = new AbortController();
    const { client, emulator } = start({}, { signal: ac.signal });
    emulator.injectFault({ kind: 'hang' });
    const p = settle(client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(100);
    ac.abort();
    expect(await p).toMatchObject({ error: { name: 'AbortError' } });
    await expect(client.getReferralById('x')).rejects.toMatchObject({ name: 'AbortError' });
    expect(emulator.requests).toHaveLength(1);
  });

  it('with both a client-wide and a per-call signal, either cancels a call in flight, and no listener stays on the client signal', async () => {
    const clientWide = new AbortController();
    const { client, emulator } = start({ count: 1 }, { signal: clientWide.signal });
    emulator.injectFault({ kind: 'hang' });
    const perCall = new AbortController();
    const p = settle(client.getAllReferrals(undefined, { signal: perCall.signal }));
    await vi.advanceTimersByTimeAsync(100);
    perCall.abort(new Error('this call only'));
    expect(await p).toMatchObject({ error: { message: 'this call only' } });
    // Many finished calls on a long-lived client signal must not pile up abort listeners.
    for (let i = 0; i < 5; i++) await client.getAllReferrals(undefined, { signal: new AbortController().signal });
    expect(getEventListeners(clientWide.signal, 'abort')).toHaveLength(0);

    emulator.injectFault({ kind: 'hang' });
    const q = settle(client.getAllReferrals(undefined, { signal: new AbortController().signal }));
    await vi.advanceTimersByTimeAsync(100);
    clientWide.abort(new Error('client closed'));
    expect(await q).toMatchObject({ error: { message: 'client closed' } });
    expect(emulator.requests).toHaveLength(7);
  });

  it('an already-aborted per-call signal sends nothing', async () => {
    const { client, emulator } = start();
    await expect(client.getAllReferrals(undefined, { signal: AbortSignal.abort(new Error('no')) })).rejects.toThrow('no');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('client-side rate limit', () => {
  it('keeps bulk work under the service quota so it never answers 429 (default 100 per 60 s)', async () => {
    // The emulator enforces the connector's quota: 100 calls per 60 s per token.
    const { client, emulator } = start({ count: 1, rateLimit: { limit: 100, windowMs: 60_000 } });
    const calls = Array.from({ length: 130 }, () => client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(59_999);
    expect(emulator.requests).toHaveLength(100);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(calls);
    expect(emulator.requests).toHaveLength(130);
    expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(times(emulator.requests).slice(99, 101)).toEqual([0, 60_000]);
  });

  it('keeps to the service\'s window when earlier requests reach it late: request k + limit never overtakes request k', async () => {
    const quota = { limit: 5, windowMs: 1000 };
    const { newClient, emulator } = start({ count: 1, rateLimit: quota });
    let sent = 0;
    const client = newClient({
      rateLimit: quota,
      // The first five requests take 10 ms to reach the service, the sixth none: counted from
      // its start, the sixth would arrive at 1000 ms, inside the service's window of the five.
      fetch: async (url, init) => {
        if (sent++ < 5) await new Promise((r) => setTimeout(r, 10));
        return globalThis.fetch(url, init);
      },
    });
    const calls = Array.from({ length: 6 }, () => client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(calls);
    expect(emulator.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(times(emulator.requests)).toEqual([10, 10, 10, 10, 10, 1010]);
  });

  it('a 429 holds back every call of the client until Retry-After has passed, and the refused call goes first', async () => {
    const { client, emulator } = start({ count: 1 });
    const id = emulator.store.list()[0]!.id;
    emulator.injectFault({ kind: 429, retryAfterSeconds: 2, match: { operation: 'GetAllReferrals' } });
    const refused = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(500);
    // Well within the quota, yet the service said to wait.
    const others = [client.getReferralById(id), client.getReferralById(id)];
    await vi.advanceTimersByTimeAsync(1499);
    expect(emulator.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([refused, ...others]);
    expect(emulator.requests.map((r) => `${r.operation} ${r.status} at ${Date.parse(r.time) - T0}`)).toEqual([
      'GetAllReferrals 429 at 0',
      'GetAllReferrals 200 at 2000',
      'GetReferralById 200 at 2000',
      'GetReferralById 200 at 2000',
    ]);
  });

  it('after a 429 the retry goes ahead of the calls already queued for the window', async () => {
    const { client, emulator } = start({ count: 1 }, { rateLimit: { limit: 2, windowMs: 1000 } });
    const id = emulator.store.list()[0]!.id;
    emulator.injectFault({ kind: 429, retryAfterSeconds: 1, match: { operation: 'GetAllReferrals' } });
    const calls = [client.getAllReferrals(), client.getReferralById(id), client.getReferralById(id), client.getReferralById(id)];
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(calls);
    expect(emulator.requests.map((r) => `${r.operation} ${r.status} at ${Date.parse(r.time) - T0}`)).toEqual([
      'GetAllReferrals 429 at 0',
      'GetReferralById 200 at 0',
      'GetAllReferrals 200 at 1000',
      'GetReferralById 200 at 1000',
      'GetReferralById 200 at 2000',
    ]);
  });

  it('a call that gives up on a 429 still holds back the other calls until Retry-After', async () => {
    const { client, emulator } = start({ count: 1 }, { retry: false });
    emulator.injectFault({ kind: 429, retryAfterSeconds: 3 });
    await expect(client.getAllReferrals()).rejects.toMatchObject({ status: 429, retryAfterMs: 3000 });
    const next = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(2999);
    expect(emulator.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(times(emulator.requests)).toEqual([0, 3000]);
  });

  it('is configurable per client', async () => {
    const { client, emulator } = start({ count: 1, rateLimit: { limit: 5, windowMs: 1000 } }, { rateLimit: { limit: 5, windowMs: 1000 } });
    const calls = Array.from({ length: 12 }, () => client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(calls);
    expect(times(emulator.requests)).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
    expect(emulator.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('with rateLimit: false the service throttles, and Retry-After still gets every call through', async () => {
    const { client, emulator } = start({ count: 1, rateLimit: { limit: 5, windowMs: 1000 } }, { rateLimit: false });
    const calls = Array.from({ length: 8 }, () => client.getAllReferrals());
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(calls);
    expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(3);
    expect(emulator.requests.filter((r) => r.status === 200)).toHaveLength(8);
  });

  it('counts retries against the limit', async () => {
    const { client, emulator } = start({ count: 1 }, { rateLimit: { limit: 1, windowMs: 10_000 } });
    emulator.injectFault({ kind: 503, retryAfterSeconds: 1 });
    const p = client.getAllReferrals();
    await vi.advanceTimersByTimeAsync(10_000);
    await p;
    expect(times(emulator.requests)).toEqual([0, 10_000]);
  });

  it('gives up with the last error, sending nothing more, when the throttle would start a retry past maxElapsedMs', async () => {
    const { client, emulator } = start({ count: 1 }, { rateLimit: { limit: 2, windowMs: 10_000 }, retry: { maxElapsedMs: 5000, random: () => 0 } });
    const id = emulator.store.list()[0]!.id;
    emulator.injectFault({ kind: 500, match: { operation: 'GetAllReferrals' } });
    const failing = settle(client.getAllReferrals());
    // Takes the second slot, so the retry (due at 250 ms) must wait for the window until 10 s.
    const other = client.getReferralById(id);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await failing).toMatchObject({ error: { status: 500, code: 'InternalServerError' } });
    await other;
    expect(emulator.requests.map((r) => r.operation)).toEqual(['GetAllReferrals', 'GetReferralById']);
  });

  it('a signal aborts a call waiting for the limiter', async () => {
    const { client, emulator } = start({ count: 1 }, { rateLimit: { limit: 1, windowMs: 10_000 } });
    await client.getAllReferrals();
    const ac = new AbortController();
    const p = settle(client.getAllReferrals(undefined, { signal: ac.signal }));
    await vi.advanceTimersByTimeAsync(1000);
    ac.abort(new Error('stop waiting'));
    expect(await p).toMatchObject({ error: { message: 'stop waiting' } });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(emulator.requests).toHaveLength(1);
  });
});
