/**
 * Progress of long commands on stderr: count, rate, ETA (when the total is known) and the time
 * spent waiting for the quota. Only on a terminal: piped or redirected stderr stays quiet, so
 * logs and scripts see nothing but real errors. The ETA counts the quota's waits still to come,
 * not only the pace so far: at 100 calls a minute the first 100 pages come fast, then each
 * further one waits for the window.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** Counts `n` more items done. */
  add(n: number): void;
  /** The number of items expected, once known. */
  total(n: number | undefined): void;
  /** Time spent waiting for the quota, in ms, so far. */
  waited(ms: number): void;
  /** Writes the final line (on a terminal) and stops. */
  done(): void;
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The client's quota: `limit` calls per `windowMs`, each counted until `windowMs` after its answer. */
export interface Quota {
  limit: number;
  windowMs: number;
}

/**
 * Time until `calls` more calls are answered, each taking `paceMs`, when the last calls so far
 * were answered at `answers` (oldest first, on the clock of `now`): the client's limiter lets
 * call k go once call k - limit was answered `windowMs` ago, so this plays that forward.
 */
export function quotaEtaMs(calls: number, paceMs: number, quota: Quota, answers: readonly number[], now: number): number {
  const ends = answers.slice(-quota.limit);
  let t = now;
  for (let i = 0; i < calls; i++) {
    const freed = ends.length >= quota.limit ? ends[ends.length - quota.limit]! + quota.windowMs : -Infinity;
    t = Math.max(t, freed) + paceMs;
    ends.push(t);
    if (ends.length > quota.limit) ends.shift();
  }
  return t - now;
}

/** The status line for `count` items after `elapsedMs`; `etaMs` replaces the ETA from the rate so far. */
export function progressLine(label: string, count: number, elapsedMs: number, total: number | undefined, waitedMs: number, etaMs?: number): string {
  const rate = elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
  const parts = [`${label} ${num(count)}${total === undefined ? '' : `/${num(total)}`}`, `${num(rate)}/s`];
  if (total !== undefined && etaMs !== undefined) parts.push(`ETA ${clock(etaMs / 1000)}`);
  else if (total !== undefined && rate > 0) parts.push(`ETA ${clock(Math.max(0, total - count) / rate)}`);
  parts.push(`waited ${(waitedMs / 1000).toFixed(1)} s for the quota`);
  return parts.join(' · ');
}

/**
 * A progress line on `stream`, redrawn at most every `everyMs`; does nothing unless `stream.isTTY`.
 * With `eta`, the ETA is what it says for the items left (see quotaMeter's `etaMs`).
 */
export function createProgress(
  stream: ProgressStream,
  label: string,
  options: { now?: () => number; everyMs?: number; eta?: (remaining: number, done: number, now: number) => number | undefined } = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? 200;
  const started = now();
  let count = 0;
  let expected: number | undefined;
  let waitedMs = 0;
  let drawn = -Infinity;
  const draw = (force: boolean) => {
    if (!stream.isTTY) return;
    const t = now();
    if (!force && t - drawn < everyMs) return;
    drawn = t;
    const eta = expected === undefined ? undefined : options.eta?.(Math.max(0, expected - count), count, t);
    stream.write(`\r\x1b[K${progressLine(label, count, t - started, expected, waitedMs, eta)}`);
  };
  return {
    add(n) {
      count += n;
      draw(false);
    },
    total(n) {
      expected = n;
    },
    waited(ms) {
      waitedMs = ms;
    },
    done() {
      draw(true);
      if (stream.isTTY) stream.write('\n');
    },
  };
}

/**
 * Measures the time calls wait before reaching the network (the client's throttle, and the
 * pause after a 429): from `asking()` to the next request, and from a 429 to the retry. It
 * also counts the attempts (`sent`) and keeps when the last `quota.limit` were answered, for
 * the ETA.
 */
export function quotaMeter(fetchImpl: (url: string, init: RequestInit) => Promise<Response> = (u, i) => globalThis.fetch(u, i), quota: Quota = { limit: 100, windowMs: 60_000 }) {
  let askedAt: number | undefined;
  let waitedMs = 0;
  let sent = 0;
  let answered = 0;
  const answers: number[] = [];
  const started = performance.now();
  // Attempts in a row that got no answer at all, and since when: what a network error cost.
  const failures = { count: 0, since: 0 };
  return {
    get sent() {
      return sent;
    },
    /** HTTP answers received, of any status. */
    get answered() {
      return answered;
    },
    get failures() {
      return { count: failures.count, ms: failures.count ? performance.now() - failures.since : 0 };
    },
    /**
     * Time to fetch `remaining` more items, at the items per call and the time per call (waits
     * for the quota left out) seen so far, under the quota; undefined before the first answer.
     */
    etaMs(remaining: number, done: number, now = performance.now()): number | undefined {
      if (!answers.length || !done) return undefined;
      const paceMs = Math.max(0, now - started - waitedMs) / sent;
      return quotaEtaMs(Math.ceil((remaining * sent) / done), paceMs, quota, answers, now);
    },
    /** Call when the code asks for the next page or item. */
    asking() {
      askedAt = performance.now();
    },
    get waitedMs() {
      return waitedMs;
    },
    async fetch(url: string, init: RequestInit): Promise<Response> {
      if (askedAt !== undefined) waitedMs += performance.now() - askedAt;
      askedAt = undefined;
      sent++;
      try {
        const res = await fetchImpl(url, init);
        answered++;
        failures.count = 0;
        if (res.status === 429) askedAt = performance.now();
        return res;
      } catch (err) {
        if (!failures.count++) failures.since = performance.now();
        throw err;
      } finally {
        // The limiter frees the slot a window after the answer (or the failure) arrived.
        answers.push(performance.now());
        if (answers.length > quota.limit) answers.shift();
      }
    },
  };
}
