/**
 * 1. Client overhead: our client against raw fetch with hand-built headers, both calling the
 * same emulator server (its own process, loopback), interleaved run by run; for getReferralById
 * also the OpenAPI Generator typescript-fetch client, in the same interleaving.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createReferralsClient } from '../src/index.js';
import type { Bench } from './lib/bench.js';
import { REPO_ROOT, startEmulatorProcess } from './lib/proc.js';
import type { Row } from './lib/report.js';
import { interleavedSteps, perRunRatios, summarize } from './lib/stats.js';

const TARGET = 1.1;
// A computed specifier: tsc must not follow it (the generated client compiles only under
// test/generator/tsconfig.json); tsx loads it at run time.
const TS_FETCH_MODULE = pathToFileURL(join(REPO_ROOT, 'bench', 'lib', 'typescript-fetch.ts')).href;
/** What bench/lib/typescript-fetch.ts exports (restated: importing its type would make tsc follow it). */
type TypescriptFetchModule = { createTypescriptFetchCalls: (basePath: string, token: string) => { getReferralById(id: string): Promise<unknown> } };
const LIST_SIZE = 10_000;
const PAGE_SIZE = 100;

interface Page {
  value?: { id?: string }[];
  '@odata.nextLink'?: string;
}

export const run: Bench = async (ctx) => {
  const calls = ctx.quick ? 200 : 1000;
  const runs = ctx.quick ? 3 : 7;
  const server = await startEmulatorProcess({ count: LIST_SIZE, rateLimit: false });
  try {
    const api = server.apiUrl;
    const token = 'bench-client-overhead';
    // The client's own throttle (100 per 60 s by default) would dominate: off, as the server's is.
    const client = createReferralsClient({ baseUrl: api, getToken: () => token, rateLimit: false });
    const { createTypescriptFetchCalls } = (await import(TS_FETCH_MODULE)) as TypescriptFetchModule;
    const tsFetch = createTypescriptFetchCalls(api, token);

    // What a careful hand-written call sends: the same headers our client sends.
    const headers = () => ({ Accept: 'application/json', Authorization: `Bearer ${token}`, 'MS-CorrelationId': randomUUID() });
    const rawGet = async (url: string) => {
      const res = await fetch(url, { headers: headers() });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<unknown>;
    };

    const firstPage = (await rawGet(`${api}/referrals`)) as Page;
    const ids = (firstPage.value ?? []).map((r) => r.id!).filter(Boolean);
    if (ids.length < 10) throw new Error(`the emulator's first page has only ${ids.length} referrals`);

    ctx.log(`getReferralById x${calls}, ${runs} runs, client, typescript-fetch and fetch calls alternating`);
    const callSession = (call: (id: string) => Promise<unknown>) => () => {
      let i = 0;
      return async () => {
        await call(ids[i % ids.length]!);
        return ++i < calls;
      };
    };
    const byId = await interleavedSteps(runs, {
      client: callSession((id) => client.getReferralById(id)),
      fetch: callSession((id) => rawGet(`${api}/referrals/${encodeURIComponent(id)}`)),
      typescriptFetch: callSession((id) => tsFetch.getReferralById(id)),
    });

    // Both loops must see every referral, or the faster one may simply be doing less.
    const counts = { client: 0, fetch: 0 };
    ctx.log(`listing ${LIST_SIZE} referrals, ${runs} runs, client and fetch pages alternating`);
    const listing = await interleavedSteps(runs, {
      // One step = the items of one page from `for await`'s iterator (the first pulls the page).
      client: () => {
        const it = client.listReferrals()[Symbol.asyncIterator]();
        let n = 0;
        return async () => {
          for (let k = 0; k < PAGE_SIZE; k++) {
            const r = await it.next();
            if (r.done) return ((counts.client = n), false);
            if (r.value.id) n++;
          }
          return true;
        };
      },
      fetch: () => {
        let url: string | undefined = `${api}/referrals`;
        let n = 0;
        return async () => {
          const page = (await rawGet(url!)) as Page;
          for (const r of page.value ?? []) if (r.id) n++;
          url = page['@odata.nextLink'];
          if (!url) counts.fetch = n;
          return !!url;
        };
      },
    });
    if (counts.client !== LIST_SIZE || counts.fetch !== LIST_SIZE) {
      throw new Error(`listing saw ${counts.client} (client) and ${counts.fetch} (fetch) referrals, expected ${LIST_SIZE} each`);
    }
    const stats = await server.stats();
    const errors = stats.total - (stats.byStatus['200'] ?? 0);
    if (errors) throw new Error(`the server answered ${errors} non-200 responses: ${JSON.stringify(stats.byStatus)}`);

    const perCall = (ms: number[]) => summarize(ms.map((t) => (t * 1000) / calls));
    /** A miss is explained by the measured extra time per request against the request itself. */
    const ratioRow = (label: string, a: number[], b: number[], requests: number, where: string): Row => {
      const stat = summarize(perRunRatios(a, b));
      const usPerRequest = (ms: number[]) => (summarize(ms).median / requests) * 1000;
      const extra = usPerRequest(a) - usPerRequest(b);
      return {
        label,
        unit: 'x',
        stat,
        target: { op: '<=', value: TARGET },
        note:
          stat.median > TARGET
            ? `our client spends about ${extra.toFixed(0)} µs more per request (${where}) on a loopback request of ${usPerRequest(b).toFixed(0)} µs; against the real service (tens of ms per request) the same work is under 1 %`
            : undefined,
      };
    };
    return {
      setup: [
        `Emulator (bench/server.ts: ReferralsEmulator behind startEmulatorServer) in its own process on 127.0.0.1, ${LIST_SIZE.toLocaleString('en-US')} seeded referrals, throttling off; client and raw fetch run in the benchmark process.`,
        `getReferralById: ${calls} sequential calls per run cycling over ${ids.length} ids; raw fetch sends the same headers (Accept, Authorization, a fresh MS-CorrelationId) and parses the JSON. The OpenAPI Generator typescript-fetch client (generated/typescript-fetch/, no retries or timeout) makes the same calls in the same interleaving (without MS-CorrelationId, which it sends only when given one) and maps each answer through its model functions (dates to Date).`,
        `Listing: all ${LIST_SIZE.toLocaleString('en-US')} referrals, 100 per page (100 requests), with \`for await (… of client.listReferrals())\` vs a hand-written \`@odata.nextLink\` loop; both checked to see all ${LIST_SIZE.toLocaleString('en-US')}.`,
        `Our client runs with its defaults (retries on, 30 s timeout per attempt) except \`rateLimit: false\`. ${runs} runs after one warm-up run; within a run the two sides alternate request by request (page by page for listing, A B then B A), so load from other processes hits both alike. Each run gives one ratio.`,
      ],
      rows: [
        { label: 'getReferralById, our client, per call', unit: 'µs', stat: perCall(byId.client) },
        { label: 'getReferralById, raw fetch, per call', unit: 'µs', stat: perCall(byId.fetch) },
        ratioRow('getReferralById: client / raw fetch', byId.client, byId.fetch, calls, 'AbortControllers, the attempt timer, header assembly, the retry loop'),
        { label: 'getReferralById, OpenAPI Generator typescript-fetch, per call', unit: 'µs', stat: perCall(byId.typescriptFetch) },
        { label: 'getReferralById: typescript-fetch / raw fetch', unit: 'x', stat: summarize(perRunRatios(byId.typescriptFetch, byId.fetch)) },
        { label: `listReferrals over ${LIST_SIZE.toLocaleString('en-US')}, our client`, unit: 'ms', stat: summarize(listing.client) },
        { label: `@odata.nextLink loop over ${LIST_SIZE.toLocaleString('en-US')}, raw fetch`, unit: 'ms', stat: summarize(listing.fetch) },
        ratioRow('listReferrals: client / raw fetch', listing.client, listing.fetch, LIST_SIZE / PAGE_SIZE, 'the same per-request work plus two async generators per item'),
      ],
      notes: [],
    };
  } finally {
    await server.stop();
  }
};
