import { isObject } from './check.js';

/** Where a failure happened: the operationId, plus the ids that trace the call. */
export interface ReferralsApiErrorInit {
  /** HTTP status, or 0 when no answer arrived. */
  status: number;
  /** Partner Center error code (e.g. `PreconditionFailed`), or `Http<status>`, `NetworkError`, `Timeout`, `InvalidResponseBody`. */
  code: string;
  /** What went wrong, as the service or the client says it. */
  description: string;
  /** The operationId of the call, e.g. `GetReferralById`. */
  operation: string;
  /** The MS-CorrelationId the call sent. */
  correlationId?: string | undefined;
  /** The MS-RequestId the call sent, else the answer's Request-ID. */
  requestId?: string | undefined;
  /** The `data` array of the error body. */
  data?: unknown[] | undefined;
  /** The `source` of the error body (e.g. `PartnerReferrals`). */
  source?: string | undefined;
  /** Retry-After of the answer, in ms. */
  retryAfterMs?: number | undefined;
  /** The underlying failure (network error, abort), already scrubbed of the token. */
  cause?: unknown;
}

/**
 * Every failure of a client call: an HTTP error answer, an unreadable body,
 * a network error or a timeout once retries are spent.
 *
 * - `status` is the HTTP status, or 0 when no answer arrived
 *   (`code` is then `NetworkError` or `Timeout`).
 * - `code` / `description` / `data` / `source` come from the Partner Center
 *   error body when it is JSON; otherwise `code` is `Http<status>` and
 *   `description` is the start of the raw body.
 * - `correlationId` / `requestId` are what the call sent as MS-CorrelationId /
 *   MS-RequestId: quote them to Microsoft support.
 *
 * The bearer token is scrubbed from every string and from the cause chain
 * when the error is built, so logging or serialising it is safe.
 * Aborting through an `AbortSignal` rejects with the signal's reason instead.
 */
export class ReferralsApiError extends Error {
  /** Always `ReferralsApiError`, also after serialisation. */
  override readonly name = 'ReferralsApiError';
  /** HTTP status of the answer; 0 when none arrived (network error, timeout, cut-off body). */
  declare readonly status: number;
  /** Partner Center error code, e.g. `NotFound` or `PreconditionFailed`; else `Http<status>`, `NetworkError`, `Timeout` or `InvalidResponseBody`. */
  declare readonly code: string;
  /** The service's description, or the start of the raw body, or what failed on the way. */
  declare readonly description: string;
  /** The operationId of the failed call, e.g. `PatchReferralById`. */
  declare readonly operation: string;
  /** The MS-CorrelationId the call sent (the same on every retry of the call). */
  declare readonly correlationId: string | undefined;
  /** The MS-RequestId the call sent (POST operations), else the answer's Request-ID header. */
  declare readonly requestId: string | undefined;
  /** The `data` array of the error body; empty when there was none. */
  declare readonly data: unknown[];
  /** The `source` of the error body, e.g. `PartnerReferrals`. */
  declare readonly source: string | undefined;
  /** Set on 429/503 answers that carried Retry-After. */
  declare readonly retryAfterMs: number | undefined;

  constructor(init: ReferralsApiErrorInit) {
    const { status, code, description, operation, cause } = init;
    super(`${operation} failed: ${status ? `${status} ` : ''}${code}: ${description.slice(0, 300)}`, cause === undefined ? undefined : { cause });
    // Own enumerable fields are what toJSON and util.inspect show (cause and stack are not), so
    // only the documented fields are copied: a stray property of `init` can never leak.
    Object.assign(this, { status, code, description, operation, correlationId: init.correlationId, requestId: init.requestId, data: init.data ?? [], source: init.source, retryAfterMs: init.retryAfterMs });
  }

  /** The documented fields plus `message`, for JSON logs (no stack, no cause). */
  toJSON(): object {
    return { ...this, message: this.message };
  }
}

// A credential after "Bearer " is an RFC 6750 b64token, so a service's own words there are kept,
// such as its hint "send 'Authorization: Bearer <access token>'". None of its characters is
// escaped in JSON, so scrubbing JSON text never breaks an escape.
const BEARER = /\bBearer\s+[\w.~+/-]+=*/gi;
// Any JWT-shaped string: header and payload both start with base64 of '{"'.
const JWT = /eyJ[\w-]*\.eyJ[\w-]*\.[\w-]*/g;

/**
 * Removes `token`, any `Bearer …` value and any JWT from a string. A token shorter than 8
 * characters (an emulator's 'x') is no secret, and replacing it would take every 'x' out of the
 * service's text: it is left.
 */
export function scrub(text: string, token: string | undefined): string {
  if (token && token.length > 7) text = text.replaceAll(token, '[REDACTED]');
  return text.replace(BEARER, 'Bearer [REDACTED]').replace(JWT, '[REDACTED]');
}

/**
 * Deep-scrubs JSON data (the `data` array of an error body) on its JSON text:
 * token, Bearer values and JWTs never contain characters JSON escapes, and the
 * Bearer pattern stops at a quote, so the text stays valid JSON.
 */
export function scrubJson(value: unknown[], token: string | undefined): unknown[] {
  try {
    return JSON.parse(scrub(JSON.stringify(value), token)) as unknown[];
  } catch {
    return []; // only a token with JSON-escaped characters could get here; dropping data beats leaking it
  }
}

/**
 * Rebuilds a thrown value as plain Errors holding only scrubbed name, message,
 * code and stack, following `cause` a few levels. A custom fetch may throw
 * anything, including objects holding the request headers.
 */
export function safeCause(err: unknown, token: string | undefined, depth = 0): unknown {
  if (err === undefined || depth > 4) return undefined;
  if (!(err instanceof Error)) return new Error(scrub(String(err), token));
  const copy = new Error(scrub(err.message, token), err.cause === undefined ? undefined : { cause: safeCause(err.cause, token, depth + 1) });
  copy.name = err.name;
  copy.stack = err.stack && scrub(err.stack, token);
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code: unknown }).code = code;
  return copy;
}

interface ErrorBody {
  code?: unknown;
  description?: unknown;
  data?: unknown;
  source?: unknown;
}

/** Builds the error for an HTTP answer whose body text has been read (or failed to be read). */
export function errorFromResponse(
  res: Response,
  text: string,
  ctx: { operation: string; correlationId?: string | undefined; requestId?: string | undefined; token?: string | undefined; retryAfterMs?: number | undefined },
): ReferralsApiError {
  let body: ErrorBody | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) body = parsed;
  } catch {
    // Not JSON or cut short: keep the raw text as the description below.
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? scrub(v, ctx.token) : undefined);
  // The constructor copies only its documented fields, so ctx.token goes no further.
  return new ReferralsApiError({
    ...ctx,
    status: res.status,
    code: str(body?.code) ?? `Http${res.status}`,
    description: str(body?.description) ?? (scrub(text, ctx.token).slice(0, 500) || res.statusText || 'No response body'),
    data: Array.isArray(body?.data) ? scrubJson(body.data, ctx.token) : [],
    source: str(body?.source),
    requestId: ctx.requestId ?? res.headers.get('request-id') ?? undefined,
  });
}
