import { abortable } from './abort.js';
import { checkNumber, later } from './check.js';

/**
 * Client-side throttle: at most `limit` requests in any `windowMs`, counted the way a server
 * that counts arrivals sees them. `rateLimit: false` turns it off.
 */
export interface RateLimitOptions {
  /** Default 100, the connector's documented quota per connection. At least 1. */
  limit?: number;
  /** Default 60 000 ms. At least 1. */
  windowMs?: number;
}

/** One client's throttle, shared by all its calls. */
export interface Limiter {
  /**
   * Resolves when a request may be sent; undefined when it may be sent now. Either way the
   * caller then holds a slot until it calls `release`. `first` queues the caller ahead of
   * everyone (a retry: it was admitted once already). Rejects with the signal's reason on
   * abort, and then holds nothing.
   */
  acquire(signal?: AbortSignal, first?: boolean): Promise<void> | undefined;
  /**
   * Gives back a slot: `windowMs` from now when its request was sent (so call this as its
   * answer or failure arrives), at once when nothing was sent.
   */
  release(sent: boolean): void;
  /** Holds back every queued and new request for `ms` (a 429's Retry-After). */
  pause(ms: number): void;
}

/**
 * Sliding-window log that is conservative with respect to the server's window: a slot is
 * taken when a request is sent and freed `windowMs` after its answer (or failure) arrived.
 * The server counts a request at some moment in between, so whatever the network delays,
 * any `windowMs` of the server's clock sees at most `limit` of our requests. Counting from
 * the start instead let request k + limit overtake request k's arrival by a few ms and get
 * 429. Waiters are served first come, first served by one timer, which exists only while
 * someone waits.
 */
export function createLimiter(options: RateLimitOptions | undefined): Limiter {
  const limit = options?.limit ?? 100;
  const windowMs = options?.windowMs ?? 60_000;
  checkNumber('rateLimit.limit', limit, 1);
  checkNumber('rateLimit.windowMs', windowMs, 1);
  /**
   * The slots in use, oldest first: when the answer of a released request arrived, then
   * Infinity for each request in flight (or about to be sent), which only release ends.
   */
  const slots: number[] = [];
  const queue: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pausedUntil = 0;

  const free = () => {
    const now = Date.now();
    while (slots[0]! <= now - windowMs) slots.shift();
    return now >= pausedUntil && slots.length < limit;
  };

  const drain = () => {
    clearTimeout(timer);
    while (queue.length && free()) {
      slots.push(Infinity);
      queue.shift()!();
    }
    // Wake when the pause ends or the oldest slot leaves the window. With every slot in
    // flight that is Infinity, cut to setTimeout's limit: the next release drains sooner.
    if (queue.length) timer = later(drain, Math.max(pausedUntil, slots.length < limit ? 0 : slots[0]! + windowMs) - Date.now());
  };

  const release = (sent: boolean) => {
    // Every answer time is in the past, so the first Infinity is where this one goes in order.
    if (sent) slots[slots.indexOf(Infinity)] = Date.now();
    else slots.pop();
    if (queue.length) drain();
  };

  return {
    release,
    acquire(signal, first) {
      signal?.throwIfAborted();
      if ((first || !queue.length) && free()) {
        slots.push(Infinity);
        return undefined;
      }
      let grant: () => void;
      const granted = new Promise<void>((resolve) => {
        grant = resolve;
        if (first) queue.unshift(grant);
        else queue.push(grant);
        drain();
      });
      return abortable(granted, signal, () => {
        const i = queue.indexOf(grant);
        // -1: the slot was granted just before the abort, and nobody will send on it. Else
        // drain: a pending timer with nobody waiting would keep a Node process alive for up to a window.
        if (i < 0) release(false);
        else {
          queue.splice(i, 1);
          drain();
        }
      });
    },
    // A queued timer that fires before the pause ends just sets itself again.
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
  };
}
