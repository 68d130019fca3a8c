// watchReferrals against the emulator through MSW: every change exactly once (equal
// timestamps, late arrivals, restarts, faults), the checkpoint saved only after the consumer
// took a batch, and errors that are not transient surfacing.
import { describe, expect, it } from 'vitest';
import { ReferralsApiError, watchReferrals, type ChangeBatch, type Referral, type WatchOptions, type WatchState } from '../../src/index.js';
import { newReferral, useEmulator } from '../client/emulator-harness.js';

const start = useEmulator();
const LATE = crypto.randomUUID();
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 2 }, rateLimit: false } as const;

/** Keys `id eTag` of the changes, in delivery order. */
const keys = (batches: ChangeBatch[]) => batches.flatMap((b) => b.changes.map((r) => `${r.id} ${r.eTag}`));
const storeKeys = (rows: { id: string; eTag: string }[]) => rows.map((r) => `${r.id} ${r.eTag}`).sort();

async function collect(client: Parameters<typeof watchReferrals>[0], options: WatchOptions): Promise<ChangeBatch[]> {
  const out: ChangeBatch[] = [];
  for await (const b of watchReferrals(client, { once: true, pollIntervalMs: 1, ...options })) out.push(b);
  return out;
}

describe('watchReferrals', () => {
  it('delivers each referral once, oldest first, across pages of one identical timestamp', async () => {
    const h = start({ count: 120, rateLimit: false }, FAST);
    const same = '2026-01-01T00:00:00.000Z';
    for (let i = 0; i < 250; i++) h.emulator.store.insert({ ...h.emulator.store.list()[i % 120], id: crypto.randomUUID(), updatedDateTime: same });
    const batches = await collect(h.client, { pageSize: 50 });
    const got = keys(batches);
    expect(new Set(got).size).toBe(got.length);
    expect(got.sort()).toEqual(storeKeys(h.emulator.store.list()));
    const times = batches.flatMap((b) => b.changes.map((r) => Date.parse(r.updatedDateTime!)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(batches.at(-1)!.caughtUp).toBe(true);
  });

  it('resumes from a checkpoint with nothing repeated and nothing missed, including updates in the same millisecond', async () => {
    const frozen = new Date('2026-03-01T12:00:00.000Z');
    const h = start({ count: 30, rateLimit: false, now: () => frozen }, FAST);
    let saved: WatchState | undefined;
    const checkpoint = { load: () => saved, save: (s: WatchState) => void (saved = s) };
    const first = await collect(h.client, { checkpoint, pageSize: 7 });
    expect(keys(first)).toHaveLength(30);
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);

    // Changes while stopped, all stamped with the instant of the newest referral already read.
    const ids = h.emulator.store.list().map((r) => r.id);
    for (const id of ids.slice(0, 5)) h.emulator.store.update(id, (r) => void (r.name = `${r.name} (changed)`));
    const created = await h.client.createReferral(newReferral('Fabrikam'));
    const second = await collect(h.client, { checkpoint, pageSize: 7 });
    expect(keys(second).sort()).toEqual(storeKeys(h.emulator.store.list().filter((r) => ids.slice(0, 5).includes(r.id) || r.id === created.id)));
    expect(await collect(h.client, { checkpoint })).toEqual([]);
  });

  it('ends every poll that delivered changes with a caught-up batch, even when its last page held only versions already delivered', async () => {
    const h = start({ count: 0, rateLimit: false }, FAST);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const base = newReferral('Contoso');
    for (let i = 0; i < 5; i++) h.emulator.store.insert({ ...base, id: crypto.randomUUID(), name: `r${i}`, updatedDateTime: at(i) } as never);
    let saved: WatchState | undefined;
    const checkpoint = { load: () => saved, save: (s: WatchState) => void (saved = s) };
    const first = await collect(h.client, { checkpoint, pageSize: 2 });
    expect(keys(first)).toHaveLength(5);
    expect(first.at(-1)!.caughtUp).toBe(true);
    expect(first.slice(0, -1).every((b) => !b.caughtUp)).toBe(true);

    // A late change inside the overlap window: read on a middle page, the last page repeats r4 only.
    h.emulator.store.insert({ ...base, id: crypto.randomUUID(), name: 'late', updatedDateTime: at(2) } as never);
    const second = await collect(h.client, { checkpoint, pageSize: 2 });
    expect(second.flatMap((b) => b.changes.map((r) => r.name))).toEqual(['late']);
    expect(second.at(-1)).toMatchObject({ changes: [], caughtUp: true });
    expect(saved).toEqual(second.at(-1)!.state);
    expect(await collect(h.client, { checkpoint, pageSize: 2 })).toEqual([]);
  });

  it('ends with an error, not a loop, when the service hands back the next link it was just asked for', async () => {
    const ctl = new AbortController();
    const links = new Set<string>();
    let calls = 0;
    // The emulator's answers through MSW, but a next link always leads back to itself.
    const repeating = async (url: string, init: RequestInit) => {
      if (++calls > 50) ctl.abort(); // without the guard: end the test instead of hanging
      const res = await fetch(url, init);
      const page = (await res.json()) as { '@odata.nextLink'?: string };
      if (page['@odata.nextLink']) page['@odata.nextLink'] = links.has(url) ? url : page['@odata.nextLink'];
      if (page['@odata.nextLink']) links.add(page['@odata.nextLink']);
      return new Response(JSON.stringify(page), { status: res.status, headers: res.headers });
    };
    const h = start({ count: 0, rateLimit: false }, { ...FAST, fetch: repeating });
    const same = '2026-01-01T00:00:00.000Z';
    for (let i = 0; i < 7; i++) h.emulator.store.insert({ ...newReferral(`C${i}`), id: crypto.randomUUID(), updatedDateTime: same } as never);
    await expect(collect(h.client, { pageSize: 2, signal: ctl.signal })).rejects.toThrow(/@odata.nextLink repeats the page just read/);
    expect(calls).toBeLessThan(5);
  });

  it('saves the checkpoint only after the consumer has taken the batch', async () => {
    const h = start({ count: 25, rateLimit: false }, FAST);
    const log: string[] = [];
    const checkpoint = { load: () => undefined, save: (s: WatchState) => void log.push(`save ${s.since}`) };
    let taken = 0;
    for await (const b of watchReferrals(h.client, { checkpoint, once: true, pageSize: 10 })) {
      log.push(`take ${b.state.since}`);
      await new Promise((r) => setTimeout(r, 5));
      taken += b.changes.length;
      log.push('done');
    }
    expect(taken).toBe(25);
    expect(log.length).toBeGreaterThanOrEqual(9);
    for (let i = 0; i < log.length; i += 3) {
      const since = log[i]!.slice(5);
      expect(log.slice(i, i + 3)).toEqual([`take ${since}`, 'done', `save ${since}`]);
    }
  });

  it('a consumer that breaks out gets the batch again after a restart (never lost)', async () => {
    const h = start({ count: 15, rateLimit: false }, FAST);
    let saved: WatchState | undefined;
    const checkpoint = { load: () => saved, save: (s: WatchState) => void (saved = s) };
    const taken: Referral[][] = [];
    for await (const b of watchReferrals(h.client, { checkpoint, once: true, pageSize: 5 })) {
      taken.push(b.changes);
      if (taken.length === 2) break;
    }
    const rest = keys(await collect(h.client, { checkpoint, pageSize: 5 }));
    const [first, second] = taken.map((batch) => batch.map((r) => `${r.id} ${r.eTag}`));
    // The first batch was saved when the second was asked for; the second never was.
    expect(rest.filter((k) => first!.includes(k))).toEqual([]);
    expect(second!.filter((k) => !rest.includes(k))).toEqual([]);
    expect([...first!, ...rest].sort()).toEqual(storeKeys(h.emulator.store.list()));
  });

  it('delivers a change that becomes visible late, within the overlap window, exactly once', async () => {
    const h = start({ count: 10, rateLimit: false }, FAST);
    let saved: WatchState | undefined;
    const checkpoint = { load: () => saved, save: (s: WatchState) => void (saved = s) };
    await collect(h.client, { checkpoint });
    const newest = Date.parse(saved!.since);
    // Stamped a minute before the newest change read, but listed only now.
    const late = h.emulator.store.insert({ ...h.emulator.store.list()[0], id: LATE, updatedDateTime: new Date(newest - 60_000).toISOString() });
    const again = await collect(h.client, { checkpoint, overlapMs: 120_000 });
    expect(keys(again)).toEqual([`${LATE} ${late.eTag}`]);
    expect(await collect(h.client, { checkpoint, overlapMs: 120_000 })).toEqual([]);
  });

  it('only waits through 429 storms, resets, cut-off answers and 503s', async () => {
    const h = start({ count: 60, rateLimit: false }, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 }, rateLimit: false });
    h.emulator.injectFault({ kind: 429, count: 6, retryAfterSeconds: 0, match: { operation: 'GetAllReferrals' } });
    h.emulator.injectFault({ kind: 'reset', count: 3, match: { operation: 'GetAllReferrals' } });
    h.emulator.injectFault({ kind: 'truncate', count: 3, match: { operation: 'GetAllReferrals' } });
    h.emulator.injectFault({ kind: 503, count: 3, retryAfterSeconds: 0, match: { operation: 'GetAllReferrals' } });
    const got = keys(await collect(h.client, { pageSize: 10 }));
    expect(h.emulator.pendingFaults).toBe(0);
    expect(new Set(got).size).toBe(got.length);
    expect(got.sort()).toEqual(storeKeys(h.emulator.store.list()));
  });

  it("keeps to the client's rate limiter: the service's quota is never exceeded", async () => {
    const quota = { limit: 3, windowMs: 300 };
    const h = start({ count: 40, rateLimit: quota }, { retry: { baseDelayMs: 1, maxDelayMs: 2 }, rateLimit: quota });
    const got = keys(await collect(h.client, { pageSize: 5 }));
    expect(got.sort()).toEqual(storeKeys(h.emulator.store.list()));
    expect(h.emulator.requests.length).toBeGreaterThan(quota.limit * 2);
    expect(h.emulator.requests.filter((r) => r.status === 429)).toEqual([]);
  });

  it('applies the filter and polls again after pollIntervalMs until the signal aborts', async () => {
    const h = start({ count: 40, rateLimit: false }, FAST);
    const ctl = new AbortController();
    const seen: Referral[] = [];
    const requestsBefore = h.emulator.requests.length;
    for await (const b of watchReferrals(h.client, { filter: "direction eq 'Incoming'", pollIntervalMs: 5, signal: ctl.signal })) {
      seen.push(...b.changes);
      if (b.caughtUp && !seen.some((r) => r.name === 'Northwind opportunity')) {
        const c = await h.client.createReferral(newReferral('Northwind'));
        h.emulator.store.update(c.id!, (r) => void (r.direction = 'Incoming'));
      } else if (seen.some((r) => r.name === 'Northwind opportunity')) ctl.abort();
    }
    const incoming = h.emulator.store.list().filter((r) => r.direction === 'Incoming');
    expect(seen.map((r) => r.id).sort()).toEqual(incoming.map((r) => r.id).sort());
    expect(h.emulator.requests.slice(requestsBefore).filter((r) => r.method === 'GET').every((r) => decodeURIComponent(r.path).includes("and (direction eq 'Incoming')"))).toBe(true);
  });

  it('ends with the service error for a filter the API rejects, its position in the filter given', async () => {
    const h = start({ count: 3, rateLimit: false }, FAST);
    const err = await collect(h.client, { filter: "direction eq 'Incoming' and nosuchfield eq 1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect((err as ReferralsApiError).status).toBe(400);
    expect((err as ReferralsApiError).description).toBe("$filter: unknown field 'nosuchfield' on Referral (at position 28).");
  });

  it('refuses bad options before any request', async () => {
    const h = start({ count: 1, rateLimit: false }, FAST);
    await expect(collect(h.client, { since: 'yesterday' })).rejects.toThrow(/since is not a date/);
    await expect(collect(h.client, { pollIntervalMs: Number.NaN })).rejects.toThrow(/pollIntervalMs/);
    await expect(collect(h.client, { checkpoint: { load: () => ({ since: 'x', seen: [] }), save() {} } })).rejects.toThrow(/checkpoint's since/);
    expect(h.emulator.requests).toHaveLength(0);
  });
});
