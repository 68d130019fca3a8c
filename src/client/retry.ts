import { checkNumber } from './check.js';

/** How failed attempts are retried. Every field has a default (also when given as undefined or null); `retry: false` turns retries off. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** First exponential backoff step in ms; doubles per retry. Default 500. */
  baseDelayMs?: number;
  /** Upper bound of one backoff wait in ms (Retry-After is honoured beyond it). Default 30 000. */
  maxDelayMs?: number;
  /** Budget for the whole call, attempts and waits, in ms: no wait is started that would end past it. Default 120 000. */
  maxElapsedMs?: number;
  /** Jitter source returning [0, 1). Default `Math.random`; inject for deterministic tests. */
  random?: () => number;
}

/** RetryOptions with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The policy for `options`, or undefined for `retry: false`. Throws a TypeError naming a numeric option that is NaN, negative or infinite. */
export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy | undefined {
  if (options === false) return undefined;
  const policy: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxElapsedMs: 120_000, random: Math.random };
  // A spread would let `{ maxRetries: undefined }` erase the default and unbound the retries;
  // null keeps the default too, as `??` does for the other options.
  for (const [k, v] of Object.entries(options ?? {})) {
    // NaN would never end the retries; NaN delays fire at once and hammer the service.
    if (k != 'random' && k in policy) checkNumber('retry.' + k, v);
    if (v != null) Object.assign(policy, { [k]: v });
  }
  return policy;
}

/**
 * Retry-After as ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Missing or unparseable gives undefined, a past date gives 0.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return +value * 1000;
  // HTTP dates always carry a day and month name; this keeps "-3" from parsing as a year.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const TRANSIENT = [0, 408, 500, 502, 503, 504];

/**
 * The wait before retry number `retry` (0-based), or undefined when the
 * failure must not be retried.
 *
 * `status` 0 is a network error or an attempt timeout. 429 means the call was
 * refused before it ran, so any call may repeat it; every other retryable
 * failure may have taken effect, so only `idempotent` calls repeat it (GET,
 * PUT, a POST carrying its MS-RequestId, a PATCH that cannot apply twice).
 */
export function retryDelay(policy: RetryPolicy, retry: number, status: number, retryAfterMs: number | undefined, idempotent: boolean): number | undefined {
  if (retry >= policy.maxRetries) return undefined;
  if (status !== 429 && !(idempotent && TRANSIENT.includes(status))) return undefined;
  if (retryAfterMs !== undefined && (status === 429 || status === 503)) return retryAfterMs;
  // "Equal jitter": at least half the step, so retries never bunch at zero.
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return step / 2 + policy.random() * (step / 2);
}
