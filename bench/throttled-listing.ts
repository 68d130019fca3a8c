/**
 * 3. Bulk listing under throttling: the emulator enforces the connector's quota, scaled from
 * 100 calls per 60 s to 100 calls per 2 s; our client, told the same quota, lists 20,000
 * referrals. Calls and 429s are counted on both sides; the elapsed time is compared with the
 * least the quota allows, computed from an unthrottled listing measured in the same run.
 */
import { createReferralsClient } from '../src/index.js';
import type { Bench } from './lib/bench.js';
import { startEmulatorProcess } from './lib/proc.js';
import { interleaved, perRunRatios, summarize, timeMs } from './lib/stats.js';

const COUNT = 20_000;
const PAGE_SIZE = 100;
// 30x faster than the real 100 per 60 s, yet slow enough that the quota, not the loopback
// request time (~5-10 ms, so ~1 s per 100 calls), is what bounds the listing, as with the real service.
const QUOTA = { limit: 100, windowMs: 2000 };
const TARGET = 1.05;

/**
 * The least time `calls` sequential requests can take under a sliding-window quota when one
 * request takes `perCallMs`: every full window but the last is waited out, the calls of the
 * last window run back to back; and never less than the unthrottled time.
 */
export function theoreticalMinimumMs(calls: number, perCallMs: number, quota: { limit: number; windowMs: number }): number {
  const windows = Math.ceil(calls / quota.limit);
  const inLastWindow = calls - (windows - 1) * quota.limit;
  return Math.max(calls * perCallMs, (windows - 1) * quota.windowMs + inLastWindow * perCallMs);
}

export const run: Bench = async (ctx) => {
  const runs = ctx.quick ? 3 : 5;
  const minCalls = Math.ceil(COUNT / PAGE_SIZE);
  ctx.log(`seeding two emulators with ${COUNT} referrals (one throttled, one not)`);
  const [throttled, free] = await Promise.all([
    startEmulatorProcess({ count: COUNT, rateLimit: QUOTA }),
    startEmulatorProcess({ count: COUNT, rateLimit: false }),
  ]);
  try {
    const seen = { calls: [] as number[], clientSaw429: [] as number[], serverTotal: [] as number[], server429: [] as number[] };
    const retryAfter = new Set<string>();
    let runNo = 0;

    /** One listing with a fresh client; the emulator throttles per token, so a new token is a fresh quota. */
    const list = async (apiUrl: string, rateLimit: typeof QUOTA | false, record: boolean) => {
      const token = `bench-throttle-${process.pid}-${runNo++}`;
      let calls = 0;
      let saw429 = 0;
      const client = createReferralsClient({
        baseUrl: apiUrl,
        getToken: () => token,
        rateLimit,
        fetch: async (url, init) => {
          calls++;
          const res = await fetch(url, init);
          if (res.status === 429) {
            saw429++;
            retryAfter.add(res.headers.get('retry-after') ?? 'none');
          }
          return res;
        },
      });
      if (record) await throttled.resetStats();
      let n = 0;
      const ms = await timeMs(async () => {
        for await (const r of client.listReferrals()) if (r.id) n++;
      });
      if (n !== COUNT) throw new Error(`listing returned ${n} referrals, expected ${COUNT}`);
      if (record) {
        const s = await throttled.stats();
        seen.calls.push(calls);
        seen.clientSaw429.push(saw429);
        seen.serverTotal.push(s.total);
        seen.server429.push(s.byStatus['429'] ?? 0);
      }
      return ms;
    };

    ctx.log(`${runs} runs, throttled and unthrottled listings interleaved`);
    const t = await interleaved(runs, {
      throttled: () => list(throttled.apiUrl, QUOTA, true),
      unthrottled: () => list(free.apiUrl, false, false),
    });
    // The warm-up run was recorded too: keep only the measured runs.
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k] = seen[k].slice(-runs);

    const minimum = t.unthrottled.map((u) => theoreticalMinimumMs(minCalls, u / minCalls, QUOTA));
    const ratio = summarize(perRunRatios(t.throttled, minimum));
    const calls = summarize(seen.calls);
    const server429 = summarize(seen.server429);
    const waited = (QUOTA.windowMs * (Math.ceil(minCalls / QUOTA.limit) - 1)) / 1000;
    const extraSeconds = (summarize(t.throttled).median - summarize(minimum).median) / 1000;
    // One explanation for every row a 429 makes miss: calls, 429 counts and the elapsed time.
    const why429 =
      server429.max > 0
        ? `the client's limiter counts a request when it starts, the emulator when it arrives; when the first request of a window took longer to arrive (new connection) than the request ${QUOTA.limit} later, that one reaches the emulator a few ms before its window frees and gets 429, then is retried: the client's window needs a margin of at least the request's travel time, or should count requests when their answer arrives`
        : undefined;
    const whySlow =
      server429.max > 0
        ? `${extraSeconds.toFixed(2)} s over: each 429 costs the Retry-After wait (${[...retryAfter].join(', ')} s; the emulator sends whole seconds, at least 1), which is ${((1000 / QUOTA.windowMs) * 100).toFixed(0)} % of a scaled ${QUOTA.windowMs / 1000} s window but would be under 2 % of the real 60 s window; the 429 itself is explained above`
        : `the limiter waited ${extraSeconds.toFixed(2)} s longer than the quota requires`;

    return {
      setup: [
        `Time scaled down: the emulator allows ${QUOTA.limit} calls per ${QUOTA.windowMs / 1000} s per token instead of the real 100 per 60 s (${60_000 / QUOTA.windowMs} times faster; with 1 s windows the loopback requests alone would nearly fill each window, so the quota would barely bind); the client is given the same quota (\`rateLimit: { limit: ${QUOTA.limit}, windowMs: ${QUOTA.windowMs} }\`) and its default retries.`,
        `${COUNT.toLocaleString('en-US')} seeded referrals, page size ${PAGE_SIZE} (the emulator's maximum), so at least ceil(${COUNT} / ${PAGE_SIZE}) = ${minCalls} calls; each run uses a fresh client and token.`,
        'Calls are counted in the client (a counting fetch) and in the emulator (every response it sends); 429s likewise.',
        `Theoretical minimum per run: max(unthrottled time, ${waited} s of full windows + the last window's calls at the unthrottled per-call time), with the unthrottled time measured by the same listing against an unthrottled emulator in the same run (runs interleaved).`,
      ],
      rows: [
        {
          label: 'Calls made (client-side count)',
          unit: 'calls',
          stat: calls,
          target: { op: '==', value: minCalls },
          note: calls.median > minCalls ? `${calls.median - minCalls} extra: the retry of each request answered 429 (reason in the 429 row)` : undefined,
        },
        {
          label: 'Requests answered (emulator-side count)',
          unit: 'calls',
          stat: summarize(seen.serverTotal),
          target: { op: '==', value: minCalls },
          note: summarize(seen.serverTotal).median > minCalls ? 'the same extra requests as counted by the client (reason in the 429 row)' : undefined,
        },
        {
          label: '429 answers sent by the emulator',
          unit: 'count',
          stat: server429,
          target: { op: '==', value: 0 },
          note: why429,
        },
        {
          label: '429 answers seen by the client',
          unit: 'count',
          stat: summarize(seen.clientSaw429),
          target: { op: '==', value: 0 },
          note: why429 && 'the same 429s the emulator sent (reason in the row above)',
        },
        { label: `Listing ${COUNT.toLocaleString('en-US')} under the quota`, unit: 's', stat: summarize(t.throttled.map((ms) => ms / 1000)) },
        { label: 'Theoretical minimum under the quota', unit: 's', stat: summarize(minimum.map((ms) => ms / 1000)) },
        { label: 'Same listing without throttling', unit: 's', stat: summarize(t.unthrottled.map((ms) => ms / 1000)) },
        {
          label: 'Elapsed / theoretical minimum',
          unit: 'x',
          stat: ratio,
          target: { op: '<=', value: TARGET },
          note: ratio.median > TARGET ? whySlow : undefined,
        },
      ],
      notes: [],
    };
  } finally {
    await Promise.all([throttled.stop(), free.stop()]);
  }
};
