import { describe, expect, it, vi } from 'vitest';
import { sleep } from '../../src/client/abort.js';
import { parseRetryAfter, retryDelay, retryPolicy, type RetryOptions } from '../../src/client/retry.js';

const policy = retryPolicy({ random: () => 0.5 })!;

describe('retryPolicy', () => {
  it('keeps the defaults for options given as undefined, so count and delays stay bounded', () => {
    const defaults = retryPolicy(undefined)!;
    expect(defaults).toMatchObject({ maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxElapsedMs: 120_000 });
    // e.g. `retry: { maxRetries: config.retries }` with no value configured
    expect(retryPolicy({ maxRetries: undefined, baseDelayMs: undefined, maxDelayMs: undefined, maxElapsedMs: undefined, random: undefined })).toEqual(defaults);
    expect(retryPolicy({ maxRetries: 1, baseDelayMs: undefined })).toMatchObject({ maxRetries: 1, baseDelayMs: 500 });
    // null too (from JSON config), which used to become 0 retries and a 0 ms budget.
    expect(retryPolicy({ maxRetries: null, maxElapsedMs: null } as unknown as RetryOptions)).toEqual(defaults);
  });

  it('rejects a numeric option that is NaN, negative or infinite with a TypeError naming it', () => {
    expect(() => retryPolicy({ maxRetries: NaN })).toThrow(new TypeError('retry.maxRetries must be a finite number >= 0, got NaN'));
    expect(() => retryPolicy({ maxElapsedMs: Infinity })).toThrow(/^retry\.maxElapsedMs must be a finite number/);
    expect(() => retryPolicy({ baseDelayMs: -1 })).toThrow(/^retry\.baseDelayMs /);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('backs off exponentially with jitter between half and all of the step, capped', () => {
    expect(retryDelay(policy, 0, 500, undefined, true)).toBe(375);
    expect(retryDelay(policy, 1, 502, undefined, true)).toBe(750);
    expect(retryDelay(policy, 2, 0, undefined, true)).toBe(1500);
    const capped = retryPolicy({ random: () => 0.999, maxDelayMs: 1000, maxRetries: 10 })!;
    expect(retryDelay(capped, 8, 504, undefined, true)).toBeLessThanOrEqual(1000);
    expect(retryDelay(retryPolicy({ random: () => 0 })!, 3, 408, undefined, true)).toBe(2000);
  });

  it('honours Retry-After on 429 and 503, even beyond maxDelayMs, and ignores it elsewhere', () => {
    expect(retryDelay(policy, 0, 429, 90_000, false)).toBe(90_000);
    expect(retryDelay(policy, 0, 503, 2000, true)).toBe(2000);
    expect(retryDelay(policy, 0, 500, 2000, true)).toBe(375);
  });

  it('retries 429 for any call but other transient failures only for idempotent calls', () => {
    for (const status of [0, 408, 500, 502, 503, 504]) {
      expect(retryDelay(policy, 0, status, undefined, true)).toBeGreaterThan(0);
      expect(retryDelay(policy, 0, status, undefined, false)).toBeUndefined();
    }
    expect(retryDelay(policy, 0, 429, undefined, false)).toBe(375);
    for (const status of [400, 401, 403, 404, 409, 412, 501]) expect(retryDelay(policy, 0, status, undefined, true)).toBeUndefined();
  });

  it('stops after maxRetries', () => {
    const p = retryPolicy({ maxRetries: 2 })!;
    expect(retryDelay(p, 1, 503, undefined, true)).toBeDefined();
    expect(retryDelay(p, 2, 503, undefined, true)).toBeUndefined();
    expect(retryPolicy(false)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('resolves after the delay and rejects with the reason on abort', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const p = sleep(1000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(done).toBe(true);

      const ac = new AbortController();
      const q = sleep(60_000, ac.signal);
      ac.abort(new Error('stop'));
      await expect(q).rejects.toThrow('stop');
      expect(vi.getTimerCount()).toBe(0);
      await expect(sleep(1, ac.signal)).rejects.toThrow('stop');

      // Beyond setTimeout's 2^31-1 ms a timer would fire at once: the wait is cut to that instead.
      let woke = false;
      void sleep(2 ** 32).then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1 - 60_000);
      expect(woke).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
