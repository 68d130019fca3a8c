/** Where a failure happened: the operationId, plus the ids that trace the call. */
export interface ReferralsApiErrorInit {
  status: number;
  code: string;
  description: string;
  operation: string;
  correlationId?: string | undefined;
  requestId?: string | undefined;
  data?: unknown[] | undefined;
  source?: string | undefined;
  retryAfterMs?: number | undefined;
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
  override readonly name = 'ReferralsApiError';
  readonly status: number;
  readonly code: string;
  readonly description: string;
  readonly operation: string;
  readonly correlationId: string | undefined;
  readonly requestId: string | undefined;
  readonly data: unknown[];
  readonly source: string | undefined;
  /** Set on 429/503 answers that carried Retry-After. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ReferralsApiErrorInit) {
    super(`${init.operation} failed with ${init.status || init.code} ${init.code}: ${init.description.slice(0, 300)}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.operation = init.operation;
    this.correlationId = init.correlationId;
    this.requestId = init.requestId;
    this.data = init.data ?? [];
    this.source = init.source;
    this.retryAfterMs = init.retryAfterMs;
  }

  toJSON(): Record<string, unknown> {
    const { name, message, status, code, description, operation, correlationId, requestId, data, source, retryAfterMs } = this;
    return { name, message, status, code, description, operation, correlationId, requestId, data, source, retryAfterMs };
  }
}

const BEARER = /\bBearer\s+[^\s"',;]+/gi;
// Any JWT-shaped string: header and payload both start with base64 of '{"'.
const JWT = /eyJ[\w-]*\.eyJ[\w-]*\.[\w-]*/g;

/** Removes `token`, any `Bearer …` value and any JWT from a string. */
export function scrub(text: string, token: string | undefined): string {
  if (token) text = text.split(token).join('[REDACTED]');
  return text.replace(BEARER, 'Bearer [REDACTED]').replace(JWT, '[REDACTED]');
}

/** Deep-scrubs JSON-like data (the `data` array of an error body). */
export function scrubJson<T>(value: T, token: string | undefined): T {
  if (typeof value === 'string') return scrub(value, token) as T;
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, token)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubJson(v, token);
    return out as T;
  }
  return value;
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
  message?: unknown;
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
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as ErrorBody;
  } catch {
    // Not JSON or cut short: keep the raw text as the description below.
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? scrub(v, ctx.token) : undefined);
  return new ReferralsApiError({
    status: res.status,
    code: str(body?.code) ?? `Http${res.status}`,
    description: str(body?.description) ?? str(body?.message) ?? (scrub(text.slice(0, 500), ctx.token) || res.statusText || 'No response body'),
    data: Array.isArray(body?.data) ? scrubJson(body.data, ctx.token) : [],
    source: str(body?.source),
    operation: ctx.operation,
    correlationId: ctx.correlationId,
    requestId: ctx.requestId ?? res.headers.get('request-id') ?? undefined,
    retryAfterMs: ctx.retryAfterMs,
  });
}
