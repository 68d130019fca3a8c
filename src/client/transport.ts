import { wireRoutes, type OperationId } from '../../generated/routes.js';
import type { TokenCredential } from '@azure/core-auth';
import { tokenSource, type GetToken } from './auth.js';
import { errorFromResponse, ReferralsApiError, safeCause, scrub } from './errors.js';
import { newGuid } from './ids.js';
import { createLimiter, type RateLimitOptions } from './rate-limit.js';
import { follow, sleep } from './abort.js';
import { checkNumber, later } from './check.js';
import { parseRetryAfter, retryDelay, retryPolicy, type RetryOptions } from './retry.js';

/**
 * Options of `createReferralsClient`. Everything is optional. A numeric option (here or in
 * `retry` and `rateLimit`) that is NaN, negative or infinite makes `createReferralsClient`
 * throw a TypeError naming it; only `timeoutMs` may be `Infinity`.
 */
export interface ReferralsClientOptions {
  /** Default `https://api.partner.microsoft.com/v1.0/engagements`; point it at the emulator for tests. */
  baseUrl?: string;
  /** An `@azure/core-auth` TokenCredential (e.g. from `@azure/identity`); asked for `https://api.partner.microsoft.com/.default` and cached. */
  credential?: TokenCredential;
  /** Alternative to `credential`: returns the bearer token, called before every request. */
  getToken?: GetToken;
  /** The fetch to use. Default: `globalThis.fetch`, looked up at each call so mocks installed later are seen. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Sent as User-Agent (browsers may drop it). */
  userAgent?: string;
  /** Retry tuning, or `false` for a single attempt per call. */
  retry?: RetryOptions | false;
  /**
   * Client-side throttle (default 100 requests per 60 s), or `false` to turn it off. A request
   * counts from when it is sent until `windowMs` after its answer arrived, so the service never
   * sees more than `limit` in any window of its own. A 429 holds back every call of the client
   * until its Retry-After has passed. Retries go ahead of calls that have not started.
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * Limit for one attempt (request and body), in ms. Default 30 000. A timed-out attempt is
   * retried like a network error. `Infinity`, or anything above setTimeout's limit of 2^31−1 ms,
   * means 2^31−1 ms (about 24.8 days), in effect no limit.
   */
  timeoutMs?: number;
  /** Cancels every call of this client, including waits for retries and the throttle. */
  signal?: AbortSignal;
}

/** Per-call options accepted by every method. */
export interface CallOptions {
  /** Cancels this call, including its waits; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** MS-CorrelationId to send instead of a fresh GUID (e.g. one GUID to trace a whole sync run); it must be a GUID, else the service answers 400. */
  correlationId?: string;
  /** Limit for one attempt of this call, in ms, instead of the client's `timeoutMs` (the same rules apply). */
  timeoutMs?: number;
}

/** What one logical call needs; the transport adds ids, auth, throttling and retries. */
export interface CallSpec {
  /** The operationId: picks the wire route from generated/routes.ts. */
  op: OperationId;
  /** Already encoded path id, substituted for `{id}`. */
  id?: string;
  /** Query string including `?`. */
  query?: string;
  /** An absolute URL that replaces route, id and query (a next link). */
  url?: string;
  /** JSON request body. */
  body?: unknown;
  /** Extra headers; undefined values are not sent. */
  headers?: Record<string, string | undefined>;
  /** Whether repeating the call after an unknown outcome is harmless. */
  idempotent: boolean;
  /** MS-RequestId to reuse on the spec's POST operations. */
  requestId?: string | undefined;
  /** The caller's per-call options. */
  options?: CallOptions | undefined;
}

/** Sends one logical call: resolves to the parsed JSON body, or undefined for an empty answer. */
export type Send = <T>(call: CallSpec) => Promise<T | undefined>;

/** The status retry decisions use for "no usable answer": network error, timeout, cut-off body. */
const NO_ANSWER = 0;

/** The request pipeline shared by every method: one place for ids, auth, limits, retries and errors. */
export function createTransport(options: ReferralsClientOptions): { send: Send; baseUrl: string } {
  const baseUrl = (options.baseUrl ?? 'https://api.partner.microsoft.com/v1.0/engagements').replace(/\/+$/, '');
  const tokens = tokenSource(options.credential, options.getToken);
  const limiter = options.rateLimit === false ? undefined : createLimiter(options.rateLimit);
  const policy = retryPolicy(options.retry);
  const timeoutMs = options.timeoutMs ?? 30_000;
  checkNumber('timeoutMs', timeoutMs, 0, true);
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));

  const send: Send = async <T>(call: CallSpec): Promise<T | undefined> => {
    const route = wireRoutes[call.op];
    const url = call.url ?? baseUrl + route.path.replace('{id}', call.id ?? '') + (call.query ?? '');
    const correlationId = call.options?.correlationId ?? newGuid();
    const requestId = 'requestId' in route ? (call.requestId ?? newGuid()) : undefined;
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    // One signal for the whole call (client-wide and per-call), used by every wait;
    // a controller only when there are two to merge, as it costs on the hot path.
    const signals = [options.signal, call.options?.signal].filter((s): s is AbortSignal => !!s);
    const callCtl = signals.length > 1 ? new AbortController() : undefined;
    const detachCall = callCtl ? follow(callCtl, signals) : () => {};
    const signal = callCtl?.signal ?? signals[0];
    const attemptMs = call.options?.timeoutMs ?? timeoutMs;
    checkNumber('timeoutMs', attemptMs, 0, true);
    let started: number | undefined;
    let refreshed = false;
    let error: ReferralsApiError | undefined;
    try {
      for (let retry = 0; ; ) {
        // A retry goes ahead of calls that have not started yet.
        const wait = limiter?.acquire(signal, !!error);
        if (wait) await wait;
        // This attempt holds a limiter slot until the finally below: given back for a window
        // once the answer has arrived (or failed), at once if nothing was sent.
        let sent = false;
        let status: number;
        let retryAfterMs: number | undefined;
        try {
          started ??= Date.now();
          // A retry queued behind other calls in the limiter may come out past the budget.
          if (error && Date.now() - started >= policy!.maxElapsedMs) throw error;
          const token = await tokens.token(signal);
          const headers = Object.fromEntries(
            Object.entries({
              Accept: 'application/json',
              'MS-CorrelationId': correlationId,
              'MS-RequestId': requestId,
              'Content-Type': payload && 'application/json',
              Authorization: token && `Bearer ${token}`,
              'User-Agent': options.userAgent,
              ...call.headers,
            }).filter((e): e is [string, string] => !!e[1]),
          );

          // Each attempt ends within timeoutMs and within what is left of the retry budget
          // (a limit past setTimeout's range is cut to it rather than firing at once).
          const budget = policy ? policy.maxElapsedMs - (Date.now() - started) : Infinity;
          const limit = Math.min(attemptMs, budget);
          const attemptCtl = new AbortController();
          const detachAttempt = follow(attemptCtl, [signal]);
          const timer = later(() => attemptCtl.abort(), limit);
          const ids = { operation: call.op, correlationId, requestId };
          try {
            sent = true;
            const res = await doFetch(url, { method: route.method, headers, body: payload, signal: attemptCtl.signal });
            const text = await res.text();
            status = res.status;
            if (res.ok) {
              // Only the PATCH-based operations may answer without a body (204); elsewhere it is a broken answer.
              if (!text && route.method === 'PATCH') return undefined;
              try {
                return JSON.parse(text) as T;
              } catch {
                // A cut-off body is a transport failure: retried like one when the call allows it.
                status = NO_ANSWER;
                error = new ReferralsApiError({
                  ...ids,
                  status: res.status,
                  code: 'InvalidResponseBody',
                  description: `Body is not valid JSON: ${scrub(text, token).slice(0, 80)}`,
                });
              }
            } else {
              if (status === 401 && options.credential && !refreshed) {
                // A revoked or clock-skewed cached token: ask the credential once more.
                refreshed = true;
                tokens.invalidate();
                continue;
              }
              retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
              error = errorFromResponse(res, text, { ...ids, token, retryAfterMs });
            }
          } catch (err) {
            if (signal?.aborted) throw signal.reason;
            const timedOut = attemptCtl.signal.aborted;
            status = NO_ANSWER;
            // The URL, and the reason undici keeps at the end of the cause chain ("fetch failed" says
            // nothing): its code (ECONNREFUSED, ENOTFOUND, a TLS code) or else its message ("bad port").
            let cause = err as { cause?: unknown; code?: string; message?: string } | undefined;
            while (cause?.cause) cause = cause.cause as typeof cause;
            error = new ReferralsApiError({
              ...ids,
              status: NO_ANSWER,
              code: timedOut ? 'Timeout' : 'NetworkError',
              description: scrub(`${route.method} ${url}: ${timedOut ? `no complete answer within ${limit} ms` : (cause?.code ?? cause?.message ?? err)}`, token),
              cause: safeCause(err, token),
            });
          } finally {
            clearTimeout(timer);
            detachAttempt();
          }
        } finally {
          limiter?.release(sent);
        }
        const delay = policy && retryDelay(policy, retry++, status, retryAfterMs, call.idempotent);
        // A 429 holds back the whole client, not just this call, until Retry-After has passed
        // (whether or not this call retries); the limiter then holds the retry too.
        const paused = status === 429 && limiter;
        if (paused) paused.pause(retryAfterMs ?? delay ?? 0);
        if (delay === undefined || Date.now() - started + delay > policy!.maxElapsedMs) throw error;
        if (!paused) await sleep(delay, signal);
      }
    } finally {
      detachCall();
    }
  };
  return { send, baseUrl };
}
