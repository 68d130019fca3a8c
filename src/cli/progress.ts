/**
 * Progress of long commands on stderr: count, rate, ETA (when the total is known) and the time
 * spent waiting for the quota. Only on a terminal: piped or redirected stderr stays quiet, so
 * logs and scripts see nothing but real errors.
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

/** The status line for `count` items after `elapsedMs`. */
export function progressLine(label: string, count: number, elapsedMs: number, total: number | undefined, waitedMs: number): string {
  const rate = elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
  const parts = [`${label} ${num(count)}${total === undefined ? '' : `/${num(total)}`}`, `${num(rate)}/s`];
  if (total !== undefined && rate > 0) parts.push(`ETA ${clock(Math.max(0, total - count) / rate)}`);
  parts.push(`waited ${(waitedMs / 1000).toFixed(1)} s for the quota`);
  return parts.join(' · ');
}

/** A progress line on `stream`, redrawn at most every `everyMs`; does nothing unless `stream.isTTY`. */
export function createProgress(stream: ProgressStream, label: string, options: { now?: () => number; everyMs?: number } = {}): Progress {
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
    stream.write(`\r\x1b[K${progressLine(label, count, t - started, expected, waitedMs)}`);
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
 * pause after a 429): from `asking()` to the next request, and from a 429 to the retry.
 */
export function quotaMeter(fetchImpl: (url: string, init: RequestInit) => Promise<Response> = (u, i) => globalThis.fetch(u, i)) {
  let askedAt: number | undefined;
  let waitedMs = 0;
  return {
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
      const res = await fetchImpl(url, init);
      if (res.status === 429) askedAt = performance.now();
      return res;
    },
  };
}
