/**
 * The same behaviour through both adapters, with real fetch: MSW handlers (in-process
 * interception) and the node:http server (sockets). Faults, concurrency and the correlation and
 * idempotency headers are where the adapters could differ from the core, so each is run on both.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { createReferralsHandlers } from '../../src/emulator/msw.js';
import { AUTH, newEmulator, referralInput } from './helpers.js';

// MSW patches the global fetch; requests to the socket server pass through untouched.
const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

const servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Served {
  emulator: ReferralsEmulator;
  /** `${api}/referrals` */
  referrals: string;
}

const ADAPTERS: Array<[string, (emulator: ReferralsEmulator) => Promise<string>]> = [
  [
    'MSW',
    async (emulator) => {
      msw.use(...createReferralsHandlers({ emulator }));
      return 'https://api.partner.microsoft.com/v1.0/engagements';
    },
  ],
  [
    'node:http',
    async (emulator) => {
      const server = await startEmulatorServer({ emulator, port: 0 });
      servers.push(server);
      return server.apiUrl;
    },
  ],
];

const json = { ...AUTH, 'content-type': 'application/json' };

describe.each(ADAPTERS)('through the %s adapter', (_name, serve) => {
  async function start(options: Parameters<typeof newEmulator>[0] = {}): Promise<Served> {
    const emulator = newEmulator(options);
    return { emulator, referrals: `${await serve(emulator)}/referrals` };
  }

  it('fails the next N calls with 500, 503 or 429 (Retry-After), with the error body, then recovers', async () => {
    const { emulator, referrals } = await start({ count: 2 });
    emulator.injectFault({ kind: 500, count: 2 });
    emulator.injectFault({ kind: 503, retryAfterSeconds: 4 });
    emulator.injectFault({ kind: 429, retryAfterSeconds: 9 });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(referrals, { headers: AUTH });
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });
    }
    expect(answers.map((a) => [a.status, a.retryAfter])).toEqual([
      [500, null],
      [500, null],
      [503, '4'],
      [429, '9'],
      [200, null],
    ]);
    expect(answers.slice(0, 4).map((a) => a.body.code)).toEqual(['InternalServerError', 'InternalServerError', 'ServiceUnavailable', 'TooManyRequests']);
    expect(answers[4]!.body.value).toHaveLength(2);
  });

  it('resets the connection, hangs until the client gives up, and cuts bodies short', async () => {
    const { emulator, referrals } = await start({ count: 20 });
    emulator.injectFault({ kind: 'reset' });
    await expect(fetch(referrals, { headers: AUTH })).rejects.toThrow(TypeError);

    emulator.injectFault({ kind: 'hang' });
    await expect(fetch(referrals, { headers: AUTH, signal: AbortSignal.timeout(150) })).rejects.toThrow(/abort|timeout/i);

    emulator.injectFault({ kind: 'truncate' });
    const cut = await fetch(referrals, { headers: AUTH });
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();

    // A 204 has no body to cut: the connection drops, after the change was made.
    const id = emulator.store.list()[0]!.id;
    emulator.injectFault({ kind: 'truncate', match: { operation: 'PatchReferralById' } });
    const patch = fetch(`${referrals}/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify([{ op: 'replace', path: '/name', value: 'cut' }]) });
    await expect(patch).rejects.toThrow(TypeError);
    expect(emulator.store.get(id)!.name).toBe('cut');

    expect((await fetch(referrals, { headers: AUTH })).status).toBe(200);
    expect(emulator.requests.map((r) => r.fault ?? r.status)).toEqual(['reset', 'hang', 'truncate', 'truncate', 200]);
  });

  it('50 concurrent PATCHes with one If-Match: exactly one wins, the rest get 412, the winner is what is stored', async () => {
    const { emulator, referrals } = await start({ count: 1 });
    const { id, eTag } = emulator.store.list()[0]!;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${referrals}/${id}`, {
          method: 'PATCH',
          headers: { ...json, 'if-match': eTag },
          body: JSON.stringify([{ op: 'replace', path: '/name', value: `writer ${i}` }]),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const winner = statuses.indexOf(204);
    const stored = emulator.store.get(id)!;
    expect(stored.name).toBe(`writer ${winner}`);
    expect(stored.eTag).toBe(responses[winner]!.headers.get('etag'));
  });

  it('concurrent creates with distinct MS-RequestIds all land; a repeated id lands once and replays the first answer', async () => {
    const { emulator, referrals } = await start();
    const rid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const post = (i: number) =>
      fetch(referrals, { method: 'POST', headers: { ...json, 'ms-requestid': rid(i % 30) }, body: JSON.stringify(referralInput({ name: `Deal ${i % 30}` })) }).then(async (r) => ({
        status: r.status,
        etag: r.headers.get('etag'),
        location: r.headers.get('location'),
        body: await r.json(),
      }));
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => post(i)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(emulator.store.size).toBe(30);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(30);
    for (let i = 0; i < 30; i++) {
      // Both answers for one request id are the same answer: status, body and headers.
      expect(results[i + 30]).toEqual(results[i]);
    }
  });

  it('echoes MS-CorrelationId on successes, errors, throttling and injected faults', async () => {
    const { emulator, referrals } = await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    emulator.injectFault({ kind: 503 });
    const cid = (i: number) => `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const send = (i: number, headers: Record<string, string> = AUTH) => fetch(referrals, { headers: { ...headers, 'MS-CorrelationId': cid(i) } });
    const answers = [await send(0), await send(1, {}), await send(2), await send(3), await send(4)];
    expect(answers.map((r) => r.status)).toEqual([503, 401, 200, 200, 429]);
    expect(answers.map((r) => r.headers.get('ms-correlationid'))).toEqual([0, 1, 2, 3, 4].map(cid));
    expect(answers.every((r) => /^[0-9a-f-]{36}$/.test(r.headers.get('request-id') ?? ''))).toBe(true);
  });
});
