import { abortable } from './abort.js';

/** Client-side throttle: at most `limit` requests start in any `windowMs`. `rateLimit: false` turns it off. */
export interface RateLimitOptions {
  /** Default 100, the connector's documented quota per connection. */
  limit?: number;
  /** Default 60 000 ms. */
  windowMs?: number;
}

/** One client's throttle, shared by all its calls. */
export interface Limiter {
  /** Resolves when a request may start; undefined when it may start now. Rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void> | undefined;
}

/**
 * Sliding-window log: remembers the start time of the last `limit` requests
 * and lets the next one start once the oldest leaves the window, so a burst
 * never exceeds the server's quota even at the window edges. Waiters are
 * served first come, first served by one timer.
 */
export function createLimiter(options: RateLimitOptions | undefined): Limiter {
  const limit = options?.limit ?? 100;
  const windowMs = options?.windowMs ?? 60_000;
  if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError(`rateLimit needs limit >= 1 and windowMs > 0, got ${limit} and ${windowMs}`);
  const starts: number[] = [];
  const queue: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const free = () => {
    const now = Date.now();
    while (starts.length && starts[0]! <= now - windowMs) starts.shift();
    return starts.length < limit;
  };

  const drain = () => {
    timer = undefined;
    while (queue.length && free()) {
      starts.push(Date.now());
      queue.shift()!();
    }
    if (queue.length) timer = setTimeout(drain, starts[0]! + windowMs - Date.now());
  };

  return {
    acquire(signal) {
      signal?.throwIfAborted();
      if (!queue.length && free()) {
        starts.push(Date.now());
        return undefined;
      }
      let grant: () => void;
      const granted = new Promise<void>((resolve) => {
        queue.push((grant = resolve));
        if (!timer) drain();
      });
      return abortable(granted, signal, () => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1); // -1 when the slot was granted just before the abort
        // A pending timer with nobody waiting would keep a Node process alive for up to a window.
        if (!queue.length) {
          clearTimeout(timer);
          timer = undefined;
        }
      });
    },
  };
}
