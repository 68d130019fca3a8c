import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLimiter } from '../../src/client/rate-limit.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** Acquires n slots and records the fake-clock time each was granted. */
function startMany(limiter: ReturnType<typeof createLimiter>, n: number, signal?: AbortSignal) {
  const granted: number[] = [];
  const all = Array.from({ length: n }, async () => {
    await limiter.acquire(signal);
    granted.push(Date.now());
  });
  return { granted, all };
}

describe('createLimiter', () => {
  it('lets `limit` requests start at once without waiting, then holds the rest for the window', async () => {
    const limiter = createLimiter({ limit: 3, windowMs: 1000 });
    expect(limiter.acquire()).toBeUndefined();
    expect(limiter.acquire()).toBeUndefined();
    expect(limiter.acquire()).toBeUndefined();
    const { granted } = startMany(limiter, 4);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([1000, 1000, 1000]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toEqual([1000, 1000, 1000, 2000]);
  });

  it('never lets more than `limit` start in any sliding window (default 100 per 60 s)', async () => {
    const limiter = createLimiter(undefined);
    const { granted, all } = startMany(limiter, 250);
    await vi.advanceTimersByTimeAsync(200_000);
    await Promise.all(all);
    expect(granted).toHaveLength(250);
    for (let i = 100; i < granted.length; i++) expect(granted[i]! - granted[i - 100]!).toBeGreaterThanOrEqual(60_000);
    expect(granted[99]).toBe(0);
    expect(granted[100]).toBe(60_000);
    expect(granted[249]).toBe(120_000);
  });

  it('spaces a steady trickle by the window edge, not by a fixed pause', async () => {
    const limiter = createLimiter({ limit: 2, windowMs: 1000 });
    limiter.acquire();
    await vi.advanceTimersByTimeAsync(600);
    limiter.acquire();
    const { granted } = startMany(limiter, 2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted).toEqual([1000, 1600]);
  });

  it('drops an aborted waiter without blocking the queue, and leaves no timer once the last one gives up', async () => {
    const limiter = createLimiter({ limit: 1, windowMs: 1000 });
    limiter.acquire();
    const ac = new AbortController();
    const aborted = limiter.acquire(ac.signal)!;
    const { granted } = startMany(limiter, 1);
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

  it('rejects nonsensical settings', () => {
    expect(() => createLimiter({ limit: 0 })).toThrow(/limit >= 1/);
    expect(() => createLimiter({ windowMs: -1 })).toThrow(/windowMs > 0/);
  });
});
