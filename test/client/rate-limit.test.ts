import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { later } from '../../src/client/check.js';
import { createLimiter, type Limiter } from '../../src/client/rate-limit.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** Acquires n slots and records the fake-clock time each was granted; `answerAfter` ms later (0: at once) the answer arrives (release). */
function startMany(limiter: Limiter, n: number, options: { signal?: AbortSignal; answerAfter?: number; first?: boolean } = {}) {
  const granted: number[] = [];
  const all = Array.from({ length: n }, async () => {
    await limiter.acquire(options.signal, options.first);
    granted.push(Date.now());
    if (options.answerAfter === 0) limiter.release(true);
    else if (options.answerAfter !== undefined) setTimeout(() => limiter.release(true), options.answerAfter);
  });
  return { granted, all };
}

/** Deterministic [0, 1) numbers (mulberry32), so a failing run can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('createLimiter', () => {
  it('lets `limit` requests go at once, then holds the rest until a window after the answers', async () => {
    const limiter = createLimiter({ limit: 3, windowMs: 1000 });
    expect(limiter.acquire()).toBeUndefined();
    expect(limiter.acquire()).toBeUndefined();
    expect(limiter.acquire()).toBeUndefined();
    for (let i = 0; i < 3; i++) limiter.release(true);
    const { granted } = startMany(limiter, 4, { answerAfter: 0 });
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([1000, 1000, 1000]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toEqual([1000, 1000, 1000, 2000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds a slot from sending until windowMs after its answer arrived, however late that is', async () => {
    const limiter = createLimiter({ limit: 2, windowMs: 1000 });
    limiter.acquire();
    limiter.acquire();
    const { granted } = startMany(limiter, 3);
    // Both requests are still out: whenever the server counted them, their windows have not begun to end.
    await vi.advanceTimersByTimeAsync(5000);
    expect(granted).toEqual([]);
    limiter.release(true);
    await vi.advanceTimersByTimeAsync(300);
    limiter.release(true);
    // A start-time window would have let both waiters go at 1000.
    await vi.advanceTimersByTimeAsync(699);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([6000]);
    await vi.advanceTimersByTimeAsync(300);
    expect(granted).toEqual([6000, 6300]);
  });

  it('frees a slot at once when nothing was sent on it', async () => {
    const limiter = createLimiter({ limit: 1, windowMs: 60_000 });
    limiter.acquire();
    const { granted } = startMany(limiter, 1);
    limiter.release(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
  });

  it('never lets a server that counts arrivals see more than `limit` in any window, whatever the latency (default 100 per 60 s)', async () => {
    const random = seeded(7);
    const limiter = createLimiter(undefined);
    const arrivals: number[] = [];
    // Each request reaches the server 0-3 s after it is sent and its answer comes back 0-3 s later;
    // a request that starts later may well arrive earlier than one sent before it.
    const calls = Array.from({ length: 350 }, async () => {
      await limiter.acquire();
      await new Promise((r) => setTimeout(r, random() * 3000));
      arrivals.push(Date.now());
      await new Promise((r) => setTimeout(r, random() * 3000));
      limiter.release(true);
    });
    await vi.advanceTimersByTimeAsync(400_000);
    await Promise.all(calls);
    arrivals.sort((a, b) => a - b);
    expect(arrivals).toHaveLength(350);
    // The server's sliding window (t - windowMs, t] holds request i + 100 and request i only if they are less than a window apart.
    for (let i = 100; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 100]!).toBeGreaterThanOrEqual(60_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('spaces a steady trickle by the window edge, not by a fixed pause', async () => {
    const limiter = createLimiter({ limit: 2, windowMs: 1000 });
    limiter.acquire();
    limiter.release(true);
    await vi.advanceTimersByTimeAsync(600);
    limiter.acquire();
    limiter.release(true);
    const { granted } = startMany(limiter, 2, { answerAfter: 0 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted).toEqual([1000, 1600]);
  });

  it('pause() holds back queued and new requests until it ends, with a `first` caller ahead of the queue', async () => {
    const limiter = createLimiter({ limit: 10, windowMs: 1000 });
    limiter.pause(2000);
    const order: string[] = [];
    const take = (name: string, first?: boolean) => Promise.resolve(limiter.acquire(undefined, first)).then(() => order.push(`${name}@${Date.now()}`));
    const waiting = [take('queued')];
    await vi.advanceTimersByTimeAsync(500);
    waiting.push(take('retry', true), take('new'));
    // A shorter pause does not cut short the one in force.
    limiter.pause(100);
    await vi.advanceTimersByTimeAsync(1499);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(waiting);
    expect(order).toEqual(['retry@2000', 'queued@2000', 'new@2000']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops an aborted waiter without blocking the queue, and leaves no timer once the last one gives up', async () => {
    const limiter = createLimiter({ limit: 1, windowMs: 1000 });
    limiter.acquire();
    limiter.release(true);
    const ac = new AbortController();
    const aborted = limiter.acquire(ac.signal)!;
    const { granted } = startMany(limiter, 1, { answerAfter: 0 });
    ac.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toEqual([1000]);
    expect(() => limiter.acquire(ac.signal)).toThrow('cancelled');

    // A timer with nobody waiting would keep a Node process alive for up to a window.
    const last = new AbortController();
    const waiting = limiter.acquire(last.signal)!;
    expect(vi.getTimerCount()).toBe(1);
    last.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(vi.getTimerCount()).toBe(0);
    const next = startMany(limiter, 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.granted).toEqual([2000]);
  });

  it('gives back at once a slot granted in the same tick as its waiter aborts, so it is not lost', async () => {
    const limiter = createLimiter({ limit: 1, windowMs: 1000 });
    limiter.acquire();
    limiter.release(true);
    const ac = new AbortController();
    const waiting = limiter.acquire(ac.signal)!;
    // The timer grants the slot; the abort lands before the waiter's continuation runs.
    vi.advanceTimersByTime(1000);
    ac.abort(new Error('too late'));
    await expect(waiting).rejects.toThrow('too late');
    expect(limiter.acquire()).toBeUndefined();
  });

  it('rejects nonsensical settings with a TypeError naming the option', () => {
    for (const bad of [0, -1, NaN, Infinity, '5']) {
      expect(() => createLimiter({ limit: bad as number })).toThrow(new TypeError(`rateLimit.limit must be a finite number >= 1, got ${bad}`));
      expect(() => createLimiter({ windowMs: bad as number })).toThrow(/^rateLimit\.windowMs must be a finite number >= 1/);
    }
  });

  it('keeps a wait longer than setTimeout allows (a huge window or pause) from firing every millisecond', async () => {
    const limiter = createLimiter({ limit: 1, windowMs: 2 ** 32 });
    limiter.acquire();
    limiter.release(true);
    const { granted } = startMany(limiter, 1);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(granted).toEqual([]);
    expect(timers).not.toHaveBeenCalled();
    timers.mockRestore();
  });
});

describe('later', () => {
  it('cuts a delay beyond 2^31-1 ms to that limit instead of firing at once', async () => {
    const fired: number[] = [];
    later(() => fired.push(Date.now()), 2 ** 31);
    later(() => fired.push(-1), Infinity);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1 - 60_000);
    expect(fired).toEqual([2 ** 31 - 1, -1]);
  });
});
