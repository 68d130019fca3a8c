/**
 * Per-token rate limiting like the connector's "100 calls per 60 seconds per connection":
 * a sliding window of call times per bearer token, read from the injected clock so tests with
 * fake timers control it.
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 100, windowMs: 60_000 };

/** Tracked tokens at which idle ones are first swept. */
const SWEEP_AT = 1000;

export class Throttle {
  private readonly calls = new Map<string, number[]>();
  /** Size at which to sweep next: twice what a sweep left, so sweeping stays amortised O(1). */
  private sweepAt = SWEEP_AT;

  constructor(
    private readonly rate: RateLimit | false,
    private readonly now: () => Date,
  ) {
    if (rate && (!(rate.limit >= 1) || !(rate.windowMs > 0))) {
      throw new RangeError(`rateLimit needs limit >= 1 and windowMs > 0, got ${JSON.stringify(rate)}`);
    }
  }

  /**
   * Counts a call for `key`. Returns undefined when allowed, or the seconds to wait (for
   * Retry-After) when the window is full; refused calls do not count.
   */
  take(key: string): number | undefined {
    if (!this.rate) return undefined;
    const t = this.now().getTime();
    const since = t - this.rate.windowMs;
    if (this.calls.size >= this.sweepAt) this.sweep(since);
    const times = (this.calls.get(key) ?? []).filter((c) => c > since);
    if (times.length >= this.rate.limit) {
      this.calls.set(key, times);
      return Math.max(1, Math.ceil((times[0]! + this.rate.windowMs - t) / 1000));
    }
    times.push(t);
    this.calls.set(key, times);
    return undefined;
  }

  reset(): void {
    this.calls.clear();
    this.sweepAt = SWEEP_AT;
  }

  /** Tokens with calls still in some window (a long-running server sees many come and go). */
  get trackedTokens(): number {
    return this.calls.size;
  }

  /** Forgets tokens whose last call has left the window: they have nothing left to count. */
  private sweep(since: number): void {
    for (const [key, times] of this.calls) if (!(times[times.length - 1]! > since)) this.calls.delete(key);
    this.sweepAt = Math.max(SWEEP_AT, 2 * this.calls.size);
  }
}
