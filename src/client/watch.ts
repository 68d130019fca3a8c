/**
 * Change feed over the referral list for code-based CRM sync. A standalone function (not a
 * client method) so that a bundle using only the seven calls never carries it.
 *
 * It polls the way the connector's trigger does (openapi/script.csx): each poll starts
 * `overlapMs` before the newest timestamp delivered (`ge`, not `gt`) and drops what it already
 * delivered by (id, eTag), so a referral updated in the same instant as one already delivered, or
 * one that shows up in the list up to `overlapMs` later than its timestamp says, still comes
 * exactly once (test/sync/watch.test.ts). Pages are read by keyset (each request a fresh query
 * from the last timestamp read), so a referral updated while the list is read moves ahead of the
 * reader instead of shifting an unread one onto a page already read, as offset paging would.
 */
import { sleep } from './abort.js';
import { checkNumber } from './check.js';
import { ReferralsApiError } from './errors.js';
import type { ReferralsClient } from './client.js';
import type { Referral, ReferralList } from './types.js';

/** Where a watch stands; plain JSON, to store as it is. */
export interface WatchState {
  /** The newest `updatedDateTime` read so far (ISO 8601). The next poll starts `overlapMs` before it. */
  since: string;
  /** `[id, eTag, updatedDateTime in epoch ms]` of what was delivered inside the overlap window. */
  seen: [string, string, number][];
}

/** Persists the watch's position so that a restart resumes where it stopped. */
export interface WatchCheckpoint {
  /** The saved state, or undefined to start from `since`. */
  load(): WatchState | undefined | Promise<WatchState | undefined>;
  /**
   * Called with a batch's `state` once the consumer has taken the batch (asked for the next
   * one). A consumer that stores each batch and its `state` in one transaction has nothing
   * left to do here.
   */
  save(state: WatchState): void | Promise<void>;
}

/** Options of {@link watchReferrals}; all optional. */
export interface WatchOptions {
  /** Where to start without a checkpoint: changes at or after this time (default: the beginning). */
  since?: Date | string;
  /** An OData filter the changes must also match, e.g. `direction eq 'Incoming'`. */
  filter?: string;
  /** Wait between polls once caught up, and after a poll that failed with 429, 5xx or no answer. Default 60 000 ms. */
  pollIntervalMs?: number;
  /**
   * How far back each poll looks again, for changes that become visible after newer ones
   * (default 300 000 ms). A change that shows up later than this after its timestamp is missed.
   */
  overlapMs?: number;
  /** Page size (default 100, the service's likely maximum). */
  pageSize?: number;
  /** Stops the watch: the loop then ends without an error. */
  signal?: AbortSignal;
  /** Saves and restores the position across restarts. */
  checkpoint?: WatchCheckpoint;
  /** End once caught up instead of polling on (a one-off sync or export of changes). */
  once?: boolean;
}

/** One batch of changes: new referrals or new versions (a new eTag), oldest first. */
export interface ChangeBatch {
  /** The referrals that are new or have a new eTag since they were last delivered, oldest first. */
  changes: Referral[];
  /** The position after this batch: store it with the changes, or let `checkpoint.save` do it. */
  state: WatchState;
  /**
   * True on the last batch of a poll that reached the end of the list. Every poll that delivers
   * changes ends with one (its `changes` may be empty); a poll with nothing new yields nothing.
   */
  caughtUp: boolean;
}

const time = (r: Referral) => Date.parse(r.updatedDateTime ?? '');

/** Failures that only delay a watch: the quota, the service's own trouble, a lost answer. */
const transient = (err: unknown) => err instanceof ReferralsApiError && (err.status === 429 || err.status === 0 || err.status >= 500);

/**
 * A 400 on the filter a poll composed (`updatedDateTime ge ... and (filter)`) gives positions in
 * that text, which the caller never wrote. The caller's filter alone, tried once, gets the
 * service's error about what the caller wrote; any other error is returned as it is.
 */
async function ownFilterError(client: ReferralsClient, filter: string | undefined, err: unknown, signal: AbortSignal | undefined): Promise<unknown> {
  if (!filter || !(err instanceof ReferralsApiError) || err.status !== 400) return err;
  const alone = await client.getAllReferrals({ filter, top: 1 }, { signal }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return alone instanceof ReferralsApiError && alone.status === 400 ? alone : err;
}

/**
 * The referrals created or updated since `options.since` (or the checkpoint), as batches, each
 * change exactly once, then whatever changes later, until `options.signal` aborts (or, with
 * `once`, until caught up). Keeps to the client's rate limiter; a 429, a 5xx or a dropped
 * connection that outlasts the client's retries only delays the next poll. Other errors (a
 * filter the service rejects, 401) end the loop with the `ReferralsApiError`; for a rejected
 * filter, the service's answer to `options.filter` alone, so its positions are in that filter.
 */
export async function* watchReferrals(client: ReferralsClient, options: WatchOptions = {}): AsyncGenerator<ChangeBatch, void, undefined> {
  const { filter, signal, checkpoint, once } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 60_000;
  const overlapMs = options.overlapMs ?? 300_000;
  const top = options.pageSize ?? 100;
  checkNumber('pollIntervalMs', pollIntervalMs);
  checkNumber('overlapMs', overlapMs);
  checkNumber('pageSize', top, 1);
  const start = new Date(options.since ?? 0);
  if (Number.isNaN(start.getTime())) throw new TypeError(`since is not a date: ${String(options.since)}`);
  const loaded = await checkpoint?.load();
  let since = loaded ? Date.parse(loaded.since) : start.getTime();
  if (Number.isNaN(since)) throw new TypeError(`The checkpoint's since is not a date: ${loaded!.since}`);
  // Keyed by the JSON of [id, eTag]: no separator character can be confused with their content.
  const seen = new Map((loaded?.seen ?? []).map(([id, eTag, t]) => [JSON.stringify([id, eTag]), t]));
  const state = (): WatchState => ({ since: new Date(since).toISOString(), seen: [...seen].map(([k, t]) => [...(JSON.parse(k) as [string, string]), t]) });
  const query = (from: number) => ({ filter: `updatedDateTime ge ${new Date(from).toISOString()}${filter ? ` and (${filter})` : ''}`, orderby: 'updatedDateTime asc' as const, top });

  while (!signal?.aborted) {
    let cursor = since - overlapMs;
    let link: string | undefined;
    let delivered = false;
    try {
      for (;;) {
        const page: ReferralList = link
          ? (await client.listReferrals(undefined, { signal }).byPage({ continuationToken: link }).next()).value
          : await client.getAllReferrals(query(cursor), { signal });
        const changes: Referral[] = [];
        for (const r of page.value ?? []) {
          const key = JSON.stringify([r.id, r.eTag]);
          if (!seen.has(key)) changes.push(r);
          seen.set(key, time(r));
          if (time(r) > since) since = time(r);
        }
        for (const [k, t] of seen) if (t < since - overlapMs) seen.delete(k);
        const next = page['@odata.nextLink'];
        // Each link is read through a fresh byPage, whose own repeat guard never sees two pages.
        if (next && next === link) throw new Error(`@odata.nextLink repeats the page just read (${next})`);
        const last = page.value?.at(-1);
        // Keyset from the last timestamp read; a page that did not get past the cursor
        // (all one instant) can only move on through the next link.
        link = next && last && time(last) <= cursor ? next : undefined;
        if (last && !link) cursor = time(last);
        // A poll that delivered changes always ends with a caught-up batch: an empty one when
        // its last page held only versions already delivered (read again through the overlap).
        if (changes.length || (!next && delivered)) {
          const batch = { changes, state: state(), caughtUp: !next };
          yield batch;
          delivered = true;
          // Reached only when the consumer asks for more, i.e. after it has taken the batch.
          await checkpoint?.save(batch.state);
        }
        if (!next) break;
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (!transient(err)) throw await ownFilterError(client, filter, err, signal);
      await sleep(Math.max(pollIntervalMs, (err as ReferralsApiError).retryAfterMs ?? 0), signal).catch(() => {});
      continue;
    }
    if (once) return;
    await sleep(pollIntervalMs, signal).catch(() => {});
  }
}
