/**
 * The platform's per-connection call limit ("100 calls per 60 seconds per connection" on the
 * connector's page). The clock is injected so a test moves time instead of waiting.
 */
export interface CallLimit {
  calls: number;
  periodMs: number;
}

export const CONNECTION_LIMIT: CallLimit = { calls: 100, periodMs: 60_000 };

export class ConnectionThrottle {
  /** Start times of the calls still inside the period, oldest first. */
  private readonly started: number[] = [];

  constructor(
    private readonly limit: CallLimit,
    private readonly clock: () => number,
  ) {}

  /** Admits a call (and counts it), or returns the whole seconds until one would be admitted. */
  admit(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock();
    while (this.started.length && this.started[0]! <= now - this.limit.periodMs) this.started.shift();
    if (this.started.length < this.limit.calls) {
      this.started.push(now);
      return { ok: true };
    }
    const freeAt = this.started[0]! + this.limit.periodMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
  }
}
