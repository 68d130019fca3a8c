/**
 * The Partner Center Referrals emulator: the real API's semantics over an in-memory store,
 * independent of any HTTP framework. Adapters (MSW, node:http) turn requests into
 * `EmulatorRequest`s, call `handle()` and write the `EmulatorResponse` back.
 *
 * `handle()` is async for the adapters' sake but never awaits: each request is checked and
 * committed in one synchronous run, so concurrent PATCHes with the same If-Match cannot both
 * pass the eTag check.
 */
import { ApiError, badRequest, errorBody } from './errors.js';
import { Faults, type FaultOptions } from './faults.js';
import { encodeSkipToken, parseListQuery, runListQuery } from './odata/query.js';
import { applyReferralPatch, checkPatchOperations, operationAt, parsePatchDocument } from './patch.js';
import { generateReferrals } from './seed.js';
import { BASE_PATH, referralSchema, schemaModel, type OperationId } from './spec.js';
import { ReferralStore, type StoredReferral } from './store.js';
import { DEFAULT_RATE_LIMIT, Throttle, type RateLimit } from './throttle.js';
import { REGISTRATION_HISTORY_FIELD, checkStatusTransition, initialStatus, statusTimestamps } from './transitions.js';
import { checkDefinition, checkHeaders, checkRequestBody, findInvalid, keepServerOwned, writableCopy } from './validate.js';

export interface EmulatorRequest {
  method: string;
  /** Absolute URL, e.g. https://api.partner.microsoft.com/v1.0/engagements/referrals?$top=5 */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string;
}

export type NetworkFault = 'hang' | 'reset' | 'truncate';

export interface EmulatorResponse {
  /** 0 when nothing is sent (hang, reset). */
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string;
  /** hang: never answer; reset: drop the connection; truncate: send part of `body`, then cut. */
  fault?: NetworkFault;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  /** Path and query string as received. */
  path: string;
  operation?: OperationId;
  headers: Record<string, string>;
  body?: string;
  status: number;
  fault?: NetworkFault;
}

export interface Exchange {
  request: EmulatorRequest;
  response: EmulatorResponse;
  operation?: OperationId;
}

export interface EmulatorOptions {
  /** Seed of the generated referrals (default 1). */
  seed?: number;
  /** Number of generated referrals (default 0). */
  count?: number;
  /** Largest page size; `$top` is capped to it (default 100). */
  maxPageSize?: number;
  /** Per-token rate limit (default 100 calls per 60 000 ms); false turns throttling off. */
  rateLimit?: RateLimit | false;
  /** Clock for timestamps, throttling and the seed anchor (default: the system clock). */
  now?: () => Date;
  /** Largest accepted request body in bytes (default 1 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Entries kept in `requests` (default 1000, oldest dropped first). */
  requestLogLimit?: number;
  /** Called with every response `handle()` produces (contract tests validate them). */
  onResponse?: (exchange: Exchange) => void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** MS-RequestId values remembered for replay. */
const IDEMPOTENCY_LIMIT = 10_000;
/**
 * Deepest JSON nesting accepted in a body. A referral is a few levels deep; without a bound a
 * body like `[[[[...]]]]` overflows the stack in the recursive steps after parsing (copying,
 * canonical JSON), which would surface as a 500 instead of a 400.
 */
const MAX_JSON_DEPTH = 64;
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

interface Route {
  operation?: OperationId;
  id?: string;
  allow?: string;
}

function route(method: string, pathname: string): Route | undefined {
  if (!pathname.startsWith(`${BASE_PATH}/`)) return undefined;
  const rest = pathname.slice(BASE_PATH.length);
  if (rest === '/referrals') {
    const operation = ({ GET: 'GetAllReferrals', POST: 'CreateReferral' } as const)[method as 'GET' | 'POST'];
    return { operation, allow: 'GET, POST' };
  }
  const match = /^\/referrals\/([^/]+)$/.exec(rest);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  const operation = ({ GET: 'GetReferralById', PUT: 'UpdateReferralById', PATCH: 'PatchReferralById' } as const)[method as 'GET' | 'PUT' | 'PATCH'];
  return { operation, id, allow: 'GET, PUT, PATCH' };
}

const byteLength = (s: string) => new TextEncoder().encode(s).length;

export class ReferralsEmulator {
  readonly store: ReferralStore;
  /** The handled requests, oldest first (bounded by `requestLogLimit`). */
  readonly requests: RequestLogEntry[] = [];

  private readonly options: Required<Omit<EmulatorOptions, 'onResponse'>> & Pick<EmulatorOptions, 'onResponse'>;
  private readonly throttle: Throttle;
  private readonly faults = new Faults();
  private seedAnchor: Date | undefined;
  /** MS-RequestId of successful creates -> the request body and the answer sent. */
  private readonly idempotency = new Map<string, { body: string; response: EmulatorResponse }>();

  constructor(options: EmulatorOptions = {}) {
    this.options = {
      seed: options.seed ?? 1,
      count: options.count ?? 0,
      maxPageSize: options.maxPageSize ?? 100,
      rateLimit: options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit,
      now: options.now ?? (() => new Date()),
      maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
      requestLogLimit: options.requestLogLimit ?? 1000,
      onResponse: options.onResponse,
    };
    if (!Number.isInteger(this.options.maxPageSize) || this.options.maxPageSize < 1) {
      throw new RangeError(`maxPageSize must be a positive integer, got ${this.options.maxPageSize}`);
    }
    if (!Number.isInteger(this.options.count) || this.options.count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${this.options.count}`);
    }
    this.throttle = new Throttle(this.options.rateLimit, this.options.now);
    this.store = new ReferralStore({
      complete: (r) => this.complete(r),
      // A change "by the service" keeps the summary field in step, as its own writes do.
      touch: (r) => ({ ...r, registrationStatus: registrationStatusOf(r, r.registrationStatus), eTag: this.newETag(), updatedDateTime: this.timestamp() }),
    });
    this.seedStore();
  }

  /** Makes the next matching call(s) fail; see FaultOptions. */
  injectFault(fault: FaultOptions): void {
    this.faults.inject(fault);
  }

  /** Largest request body accepted, in bytes (adapters stop reading beyond it). */
  get maxBodyBytes(): number {
    return this.options.maxBodyBytes;
  }

  /** Faults injected and not yet used up. */
  get pendingFaults(): number {
    return this.faults.pending;
  }

  /** Back to the state right after construction: seeded store, empty logs, no faults or quotas. */
  reset(): void {
    this.store.clear();
    this.requests.length = 0;
    this.faults.clear();
    this.throttle.reset();
    this.idempotency.clear();
    this.seedStore();
  }

  async handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    const method = request.method.toUpperCase();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw new TypeError(`EmulatorRequest.url must be absolute, got '${request.url}'`);
    }
    const headers = lowerCaseKeys(request.headers);
    const matched = route(method, url.pathname);
    const operation = matched?.operation;

    let response: EmulatorResponse;
    const before = this.faults.take(method, operation, 'before');
    if (before) {
      response = this.faultResponse(before);
    } else {
      try {
        response = this.process(method, url, headers, request.body, matched);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        response = this.error(err);
      }
      const after = this.faults.take(method, operation, 'after');
      if (after) response = after.kind === 'truncate' ? { ...response, fault: 'truncate' } : this.faultResponse(after);
    }

    const correlationId = headers['ms-correlationid'];
    if (correlationId !== undefined) response.headers['ms-correlationid'] = correlationId;
    response.headers['request-id'] ??= globalThis.crypto.randomUUID();
    // RFC 9110 §6.6.1: an origin server with a clock sends Date. From the emulator's clock, so a
    // client that reads the service's time (the connector's trigger) agrees with its timestamps.
    response.headers.date ??= this.options.now().toUTCString();
    this.log(method, url, headers, request.body, operation, response);
    this.options.onResponse?.({ request: { ...request, method, headers }, response, operation });
    return response;
  }

  // -------------------------------------------------------------------------------------------

  private process(method: string, url: URL, headers: Record<string, string>, body: string | undefined, matched: Route | undefined): EmulatorResponse {
    const auth = headers.authorization;
    const bearer = auth === undefined ? undefined : BEARER.exec(auth);
    if (!bearer) {
      throw new ApiError(
        401,
        'Unauthorized',
        auth === undefined
          ? "The Authorization header is missing; send 'Authorization: Bearer <access token>'."
          : "The Authorization header is malformed; send 'Authorization: Bearer <access token>'.",
        { 'www-authenticate': 'Bearer' },
      );
    }
    const wait = this.throttle.take(bearer[1]!);
    if (wait !== undefined) {
      const { limit, windowMs } = this.options.rateLimit as RateLimit;
      throw new ApiError(429, 'TooManyRequests', `Rate limit of ${limit} calls per ${windowMs / 1000} seconds exceeded; retry after ${wait} seconds.`, {
        'retry-after': String(wait),
      });
    }
    if (!matched) throw new ApiError(404, 'NotFound', `No resource at ${url.pathname}; the API serves ${BASE_PATH}/referrals and ${BASE_PATH}/referrals/{id}.`);
    if (!matched.operation) {
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}; use ${matched.allow}.`, { allow: matched.allow! });
    }
    const accept = headers.accept;
    if (accept !== undefined && !/(^|,)\s*(application\/json|application\/\*|\*\/\*)\s*(;|,|$)/i.test(accept)) {
      throw new ApiError(406, 'NotAcceptable', `The API answers application/json, which the Accept header '${accept}' does not allow.`);
    }
    const badHeader = checkHeaders(matched.operation, headers);
    if (badHeader) throw badRequest('InvalidHeader', `${badHeader}.`);
    switch (matched.operation) {
      case 'GetAllReferrals':
        return this.list(url);
      case 'CreateReferral':
        return this.create(url, headers, body);
      case 'GetReferralById':
        return this.getById(url, matched.id!);
      case 'UpdateReferralById':
        return this.put(url, headers, body, matched.id!);
      case 'PatchReferralById':
        return this.patch(url, headers, body, matched.id!);
    }
  }

  private list(url: URL): EmulatorResponse {
    const query = parseListQuery(url.searchParams, this.options.maxPageSize, schemaModel, referralSchema);
    const page = runListQuery(this.store.rows(), query);
    const origin = url.origin;
    const value = page.items.map((r) => {
      const presented = this.present(r, origin);
      return query.projection ? query.projection(presented) : presented;
    });
    const out: Record<string, unknown> = { '@odata.context': `${origin}${BASE_PATH}/$metadata#referrals` };
    if (query.state.count) out['@odata.count'] = page.total;
    out.value = value;
    if (page.next) out['@odata.nextLink'] = `${origin}${BASE_PATH}/referrals?$skiptoken=${encodeSkipToken(page.next)}`;
    return this.json(200, out);
  }

  private getById(url: URL, id: string): EmulatorResponse {
    const stored = this.mustFind(id);
    return this.json(200, this.present(stored, url.origin), { etag: stored.eTag });
  }

  private create(url: URL, headers: Record<string, string>, body: string | undefined): EmulatorResponse {
    const requestId = headers['ms-requestid']?.trim().toLowerCase();
    const parsed = this.parseBody(headers, body, ['application/json']);
    if (requestId) {
      const previous = this.idempotency.get(requestId);
      if (previous) {
        if (previous.body !== canonicalJson(parsed)) {
          throw new ApiError(409, 'RequestIdReused', `MS-RequestId ${requestId} was already used for a different referral; use a new GUID for a new request.`);
        }
        return { ...previous.response, headers: { ...previous.response.headers } };
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('InvalidBody', 'The body must be a JSON object (a referral).');
    }
    // Server-owned (read-only) and unknown fields are ignored, as the spec says, not validated.
    const input = writableCopy(parsed, referralSchema) as Record<string, unknown>;
    const problem = checkRequestBody('CreateReferral', input);
    if (problem) throw badRequest('InvalidReferral', problem);
    const { status, substatus } = initialStatus(input);
    const now = this.timestamp();
    const referral = {
      ...input,
      id: globalThis.crypto.randomUUID(),
      engagementId: typeof input.engagementId === 'string' ? input.engagementId : globalThis.crypto.randomUUID(),
      status,
      substatus,
      direction: 'Outgoing',
      createdDateTime: now,
      updatedDateTime: now,
      registrations: [],
      eTag: this.newETag(),
    } as StoredReferral;
    this.assertValid(referral);
    this.store.commit(referral);
    const location = `${url.origin}${BASE_PATH}/referrals/${referral.id}`;
    const response = this.json(201, this.present(referral, url.origin), { etag: referral.eTag, location });
    if (requestId) {
      this.idempotency.set(requestId, { body: canonicalJson(parsed), response: { ...response, headers: { ...response.headers } } });
      // A long-running server must not grow without bound: forget the oldest request ids.
      if (this.idempotency.size > IDEMPOTENCY_LIMIT) this.idempotency.delete(this.idempotency.keys().next().value!);
    }
    return response;
  }

  // The order of checks, here and in patch(): the request itself (headers, then the body's media
  // type, size, syntax and shape), then the referral it addresses (404), then the precondition
  // (412), then what the change would do. A malformed body is a 400 whatever the If-Match, as
  // in ASP.NET, where model binding refuses the body before the action looks anything up.
  private put(url: URL, headers: Record<string, string>, body: string | undefined, id: string): EmulatorResponse {
    if (headers['if-match'] === undefined) {
      throw badRequest('MissingIfMatch', "PUT needs the referral's eTag in If-Match (including its double quotes).");
    }
    const parsed = this.parseBody(headers, body, ['application/json']);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('InvalidBody', 'The body must be a JSON object (the whole referral).');
    }
    const input = writableCopy(parsed, referralSchema) as Record<string, unknown>;
    const problem = checkRequestBody('UpdateReferralById', input);
    if (problem) throw badRequest('InvalidReferral', problem);
    const stored = this.mustFind(id);
    this.checkIfMatch(headers, stored);
    // The state machine fields stay as they are unless the body sets them.
    input.status ??= stored.status;
    input.substatus ??= stored.substatus;
    const next = keepServerOwned(input, stored, referralSchema) as StoredReferral;
    next.engagementId = stored.engagementId;
    this.assertValid(next);
    checkStatusTransition(stored, next);
    const committed = this.commitChange(stored, next);
    return this.json(200, this.present(committed, url.origin), { etag: committed.eTag });
  }

  private patch(url: URL, headers: Record<string, string>, body: string | undefined, id: string): EmulatorResponse {
    const ops = parsePatchDocument(this.parseBody(headers, body, ['application/json', 'application/json-patch+json']));
    checkPatchOperations(ops, schemaModel, referralSchema);
    const stored = this.mustFind(id);
    this.checkIfMatch(headers, stored);
    const { document, addedRegistration, written } = applyReferralPatch(stored, ops, schemaModel, referralSchema);
    // Replacing a whole object (/details, /inviteContext) must not drop the server's fields in it.
    const next = keepServerOwned(document, stored, referralSchema, schemaModel, ['registrations']) as StoredReferral;
    const now = this.timestamp();
    if (addedRegistration) {
      const registrations = next.registrations as Array<Record<string, unknown>>;
      const added = registrations[registrations.length - 1]!;
      Object.assign(added, {
        id: globalThis.crypto.randomUUID(),
        type: added.type ?? 'AzureIPCoSell',
        registrationDateTime: now,
        status: 'ReviewPending',
        statusHistory: { [REGISTRATION_HISTORY_FIELD.ReviewPending!]: now },
      });
    }
    // Problems of the patched document name the operation that caused them, as syntax errors do.
    const blame = (pointers: string[]): string => {
      const index = Math.max(-1, ...pointers.map((p) => operationAt(written, p) ?? -1));
      return index < 0 ? '' : `Patch operation ${index} (${ops[index]!.op} ${ops[index]!.path}): `;
    };
    const invalid = findInvalid('Referral', next, 'referral');
    if (invalid) throw badRequest('InvalidReferral', `${blame([invalid.pointer])}the change would make the referral invalid: ${invalid.problem}.`);
    try {
      checkStatusTransition(stored, next);
    } catch (err) {
      throw err instanceof ApiError ? err.withPrefix(blame(['/status', '/substatus'])) : err;
    }
    const committed = this.commitChange(stored, next);
    const prefer = headers.prefer ?? '';
    if (/(^|[,;\s])return=representation\b/i.test(prefer)) {
      return this.json(200, this.present(committed, url.origin), { etag: committed.eTag, 'preference-applied': 'return=representation' });
    }
    return { status: 204, headers: { etag: committed.eTag } };
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Stores a changed referral with a new eTag; returns what was stored. The caller has validated
   * `next`; what is set here (ISO timestamps, an eTag, registrationStatus copied from a validated
   * registration) cannot make it invalid, so it is not validated a second time.
   */
  private commitChange(previous: StoredReferral, next: StoredReferral): StoredReferral {
    const now = this.timestamp();
    Object.assign(next, statusTimestamps(previous, next, now));
    next.registrationStatus = registrationStatusOf(next, previous.registrationStatus);
    next.id = previous.id;
    next.eTag = this.newETag();
    next.updatedDateTime = now;
    this.store.commit(next);
    return next;
  }

  private assertValid(referral: StoredReferral): void {
    const problem = checkDefinition('Referral', referral, 'referral');
    if (problem) throw badRequest('InvalidReferral', `The change would make the referral invalid: ${problem}.`);
  }

  private checkIfMatch(headers: Record<string, string>, stored: StoredReferral): void {
    const ifMatch = headers['if-match'];
    if (ifMatch === undefined) return;
    const candidates = ifMatch.split(/\s*,\s*/);
    if (candidates.includes('*') || candidates.includes(stored.eTag)) return;
    throw new ApiError(412, 'PreconditionFailed', `If-Match ${ifMatch} does not match the referral's current eTag; read the referral again and retry.`);
  }

  private mustFind(id: string): StoredReferral {
    const stored = this.store.peek(id);
    if (!stored) throw new ApiError(404, 'NotFound', `Referral '${id}' was not found.`);
    return stored;
  }

  private parseBody(headers: Record<string, string>, body: string | undefined, types: string[]): unknown {
    const contentType = headers['content-type'];
    const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
    if (!mediaType || !types.includes(mediaType)) {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `Content-Type ${contentType === undefined ? 'is missing' : `'${contentType}' is not supported`}; send ${types.join(' or ')}.`,
      );
    }
    if (body !== undefined && body.length > this.options.maxBodyBytes / 4 && byteLength(body) > this.options.maxBodyBytes) {
      throw new ApiError(413, 'PayloadTooLarge', `The body is larger than ${this.options.maxBodyBytes} bytes.`);
    }
    if (body === undefined || body.trim() === '') throw badRequest('MissingBody', 'The request body is empty; send JSON.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      throw badRequest('InvalidJson', `The body is not valid JSON: ${(err as Error).message}.`);
    }
    const tooDeep = nestingBeyond(body, MAX_JSON_DEPTH);
    if (tooDeep !== undefined) {
      throw badRequest('InvalidJson', `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels (at position ${tooDeep}).`);
    }
    return parsed;
  }

  /** Adds the computed `links` to a stored referral for a response on `origin`. */
  private present(r: StoredReferral, origin: string): Record<string, unknown> {
    const base = `${origin}${BASE_PATH}/referrals`;
    const related = `${base}?$filter=${encodeURIComponent(`engagementId eq '${String(r.engagementId)}'`)}`;
    return { ...r, links: { relatedReferrals: { uri: related, method: 'GET' }, self: { uri: `${base}/${encodeURIComponent(r.id)}`, method: 'GET' } } };
  }

  private json(status: number, value: unknown, headers: Record<string, string> = {}): EmulatorResponse {
    return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
  }

  private error(err: ApiError): EmulatorResponse {
    return this.json(err.status, err.body, { ...err.headers });
  }

  private faultResponse(fault: FaultOptions): EmulatorResponse {
    switch (fault.kind) {
      case 500:
        return this.json(500, errorBody('InternalServerError', 'Injected fault: the service failed to process the request.'));
      case 503: {
        const seconds = fault.retryAfterSeconds ?? 1;
        return this.json(503, errorBody('ServiceUnavailable', `Injected fault: the service is temporarily unavailable; retry after ${seconds} seconds.`), {
          'retry-after': String(seconds),
        });
      }
      case 429: {
        const seconds = fault.retryAfterSeconds ?? 1;
        return this.json(429, errorBody('TooManyRequests', `Injected fault: rate limit exceeded; retry after ${seconds} seconds.`), { 'retry-after': String(seconds) });
      }
      case 'hang':
      case 'reset':
        return { status: 0, headers: {}, fault: fault.kind };
      case 'truncate':
        throw new Error('truncate faults strike after processing');
    }
  }

  private log(method: string, url: URL, headers: Record<string, string>, body: string | undefined, operation: OperationId | undefined, response: EmulatorResponse): void {
    const entry: RequestLogEntry = { time: this.timestamp(), method, path: url.pathname + url.search, headers: { ...headers }, status: response.status };
    if (operation) entry.operation = operation;
    if (body !== undefined) entry.body = body;
    if (response.fault) entry.fault = response.fault;
    this.requests.push(entry);
    if (this.requests.length > this.options.requestLogLimit) this.requests.splice(0, this.requests.length - this.options.requestLogLimit);
  }

  private timestamp(): string {
    return this.options.now().toISOString();
  }

  private newETag(): string {
    return `"${globalThis.crypto.randomUUID()}"`;
  }

  private complete(r: Record<string, unknown>): StoredReferral {
    const now = this.timestamp();
    const out = { ...r };
    if (typeof out.id !== 'string' || !out.id) out.id = globalThis.crypto.randomUUID();
    if (typeof out.eTag !== 'string' || !out.eTag) out.eTag = this.newETag();
    out.createdDateTime ??= now;
    out.updatedDateTime ??= out.createdDateTime;
    delete out.links; // computed per response
    return out as StoredReferral;
  }

  private seedStore(): void {
    if (this.options.count === 0) return;
    // The anchor of the first seeding, so reset() restores the same data after the clock moved.
    this.seedAnchor ??= this.options.now();
    for (const r of generateReferrals({ seed: this.options.seed, count: this.options.count, anchor: this.seedAnchor })) {
      this.store.commit(r as StoredReferral);
    }
  }
}

/** `registrationStatus` mirrors the (single) deal registration's status; 'None' without one. */
function registrationStatusOf(referral: Record<string, unknown>, previous: unknown): unknown {
  const registration = Array.isArray(referral.registrations) ? (referral.registrations[0] as Record<string, unknown> | undefined) : undefined;
  return registration ? registration.status : (previous ?? 'None');
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** Position of the first bracket that opens level `max + 1` in valid JSON text, if any. */
function nestingBeyond(json: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

/** JSON with object keys sorted, to compare request bodies regardless of key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
