import { wireRoutes } from '../../generated/routes.js';
import { checkNumber } from './check.js';
import { encodeId } from './ids.js';
import { ReferralsApiError } from './errors.js';
import { pagedList, type PagedList } from './paging.js';
import { diffPatch, isIdempotentPatch, type PatchOp } from './patch.js';
import { isReadOnlyReferralMember } from './read-only.js';
import { createTransport, type CallOptions, type ReferralsClientOptions } from './transport.js';
import type {
  DealRegistrationPatchOperation,
  PatchOperation,
  Prefer,
  Referral,
  ReferralInput,
  ReferralList,
  ReferralReplaceInput,
  ReferralQuery,
  RegistrationInput,
} from './types.js';

/** Options of the PATCH-based methods. */
export interface PatchOptions extends CallOptions {
  /**
   * The referral's eTag, quotes included: the call fails with 412 if the referral changed since.
   * It also makes the call safe to retry after a lost answer, but then a change that did land
   * comes back as 412 too: read the referral to see, or use `updateReferral`, which does.
   */
  ifMatch?: string;
  /** `return=representation` asks for the updated referral (200) instead of an empty 204. */
  prefer?: Prefer;
}

/** Options of `createReferral`. */
export interface CreateOptions extends CallOptions {
  /** MS-RequestId to send instead of a fresh GUID, e.g. one stored before a crash; retries always reuse one value. */
  requestId?: string;
}

/** Options of `updateReferral`. */
export interface UpdateOptions extends CallOptions {
  /** How many read-change-write rounds to try when someone else changes the referral in between (412). Default 3; anything but a finite number >= 1 rejects the call with a TypeError before it sends anything. */
  maxAttempts?: number;
}

/**
 * A Partner Center Referrals client.
 *
 * Design: methods throw rather than return `{ data, error }` (as octokit does),
 * so loops over pages and read-modify-write code stay linear. Every method
 * resolves to the parsed JSON body (or `undefined` for an empty 204 answer) and
 * rejects with:
 * - a {@link ReferralsApiError} for any HTTP error, unreadable answer, network
 *   error or timeout that is left after retries;
 * - the signal's reason when a client-wide or per-call `AbortSignal` aborts;
 * - a TypeError, before any request, for invalid arguments (empty id, bad patch);
 * - whatever the `credential` / `getToken` throws when no token can be had.
 */
export interface ReferralsClient {
  /** One page of referrals (GET /referrals). Prefer {@link listReferrals}, which follows the next links. */
  getAllReferrals(query?: ReferralQuery, options?: CallOptions): Promise<ReferralList>;
  /**
   * Every referral matching `query`, across pages (`@odata.nextLink`), as an
   * async iterable; `.byPage()` gives the pages. Each page is one request, made
   * only when the loop reaches it.
   */
  listReferrals(query?: ReferralQuery, options?: CallOptions): PagedList<Referral, ReferralList>;
  /** Creates a referral (POST /referrals). Retries reuse one MS-RequestId, so the service creates it once. */
  createReferral(referral: ReferralInput, options?: CreateOptions): Promise<Referral>;
  /** Reads one referral (GET /referrals/{id}). */
  getReferralById(id: string, options?: CallOptions): Promise<Referral>;
  /**
   * Replaces a whole referral (PUT /referrals/{id}); `ifMatch` is required.
   * @deprecated The service deprecates full replacement: use {@link updateReferral} or {@link patchReferralById}.
   */
  updateReferralById(id: string, referral: ReferralReplaceInput, options: CallOptions & { ifMatch: string }): Promise<Referral>;
  /**
   * Applies JSON Patch operations (PATCH /referrals/{id}); resolves to the
   * referral with `prefer: 'return=representation'`, else usually `undefined` (204).
   */
  patchReferralById(id: string, operations: PatchOperation[], options?: PatchOptions): Promise<Referral | undefined>;
  /**
   * Registers a deal on the referral: Partner Center has no endpoint of its own for it, so this
   * sends `PATCH /referrals/{id}` with `[{op: "add", path: "/registrations/-", value: registration}]`.
   * Pass `ifMatch` to have lost answers retried: without it only 429 is retried, since a
   * repeated append could register the deal twice.
   */
  createDealRegistration(id: string, registration: RegistrationInput, options?: PatchOptions): Promise<Referral | undefined>;
  /** Changes the referral's deal registration: `PATCH /referrals/{id}` with operations on paths under /registrations/0/. */
  updateDealRegistration(id: string, operations: DealRegistrationPatchOperation[], options?: PatchOptions): Promise<Referral | undefined>;
  /**
   * Safe read-modify-write: reads the referral, lets `mutate` change a copy
   * (or return a new object), sends only the differences as JSON Patch with
   * If-Match, and on 412 reads again and re-applies `mutate`, up to
   * `maxAttempts` times. `mutate` may therefore run more than once: make it
   * set values rather than append. Server-owned fields are never sent;
   * removing a field is an error (set it to null instead). Resolves to the
   * updated referral, or the unchanged one when `mutate` changed nothing.
   */
  updateReferral(id: string, mutate: (draft: Referral) => Referral | void | Promise<Referral | void>, options?: UpdateOptions): Promise<Referral>;
}

/** Rejects what the API would refuse anyway: an empty list, ops other than add/replace, paths outside `prefix`. */
function checkOps(ops: readonly PatchOp[], prefix = '/'): void {
  if (!Array.isArray(ops) || !ops.length) throw new TypeError('operations must be a non-empty array');
  ops.forEach((o, i) => {
    if ((o?.op !== 'add' && o?.op !== 'replace') || !o.path?.startsWith(prefix)) {
      throw new TypeError(`operations[${i}] must be {op: "add" | "replace", path: "${prefix}…"}, got ${JSON.stringify(o)}`);
    }
  });
}

/** Turns `{ filter: "…", top: 10 }` into `?$filter=…&$top=10`, spaces as %20 (not +). */
function toQuery(query: ReferralQuery | undefined): string {
  let s = '';
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null) s += `${s ? '&' : '?'}$${k.replace(/^\$/, '')}=${encodeURIComponent(v)}`;
  }
  return s;
}

/** Creates a client; see {@link ReferralsClientOptions} and {@link ReferralsClient}. */
export function createReferralsClient(options: ReferralsClientOptions = {}): ReferralsClient {
  const { send, baseUrl } = createTransport(options);
  const origin = new URL(baseUrl).origin;

  const getAllReferrals = async (query?: ReferralQuery, o?: CallOptions) =>
    (await send<ReferralList>({ op: 'GetAllReferrals', query: toQuery(query), idempotent: true, options: o }))!;

  const getReferralById = async (id: string, o?: CallOptions) =>
    (await send<Referral>({ op: 'GetReferralById', id: encodeId(id), idempotent: true, options: o }))!;

  /** Every PATCH (fields and deal registrations alike): one route, headers and retry rule. */
  const patch = (id: string, body: PatchOp[], o: PatchOptions, idempotent: boolean) =>
    send<Referral>({ op: 'PatchReferralById', id: encodeId(id), body, headers: { 'If-Match': o.ifMatch, Prefer: o.prefer }, idempotent, options: o });

  // With If-Match a repeat after success fails with 412 instead of applying twice.
  const patchReferralById = async (id: string, ops: PatchOperation[], o: PatchOptions = {}, prefix?: string) => {
    checkOps(ops, prefix);
    return patch(id, ops, o, !!o.ifMatch || isIdempotentPatch(ops));
  };

  return {
    getAllReferrals,
    getReferralById,
    patchReferralById,

    listReferrals(query, o) {
      return pagedList<Referral, ReferralList>(async (link) => {
        if (!link) return getAllReferrals(query, o);
        // A relative link resolves against the list route, taken from the generated table like every path.
        const url = new URL(link, baseUrl + wireRoutes.GetAllReferrals.path);
        // The next link carries our bearer token: never follow it to another host.
        if (url.origin !== origin) throw new TypeError(`@odata.nextLink leaves ${origin}: not following ${url.origin}`);
        return (await send<ReferralList>({ op: 'GetAllReferrals', url: url.href, idempotent: true, options: o }))!;
      });
    },

    async createReferral(referral, o) {
      return (await send<Referral>({ op: 'CreateReferral', body: referral, idempotent: true, requestId: o?.requestId, options: o }))!;
    },

    async updateReferralById(id, referral, o) {
      if (typeof o?.ifMatch !== 'string' || !o.ifMatch) throw new TypeError('updateReferralById needs options.ifMatch: the eTag of the referral being replaced');
      return (await send<Referral>({ op: 'UpdateReferralById', id: encodeId(id), body: referral, headers: { 'If-Match': o.ifMatch }, idempotent: true, options: o }))!;
    },

    async createDealRegistration(id, registration, o = {}) {
      if (!registration || typeof registration !== 'object') throw new TypeError('registration must be an object');
      // An append, and nothing documents that the service dedupes PATCHes by MS-RequestId, so
      // only If-Match makes a repeat safe (it then fails with 412).
      return patch(id, [{ op: 'add', path: '/registrations/-', value: registration }], o, !!o.ifMatch);
    },

    async updateDealRegistration(id, ops, o) {
      return patchReferralById(id, ops, o, '/registrations/');
    },

    async updateReferral(id, mutate, o = {}) {
      const maxAttempts = o.maxAttempts ?? 3;
      // NaN would retry a lost race forever.
      checkNumber('maxAttempts', maxAttempts, 1);
      for (let attempt = 1; ; attempt++) {
        const current = await getReferralById(id, o);
        if (!current.eTag) throw new TypeError(`Referral ${id} has no eTag, so it cannot be updated safely`);
        const draft = structuredClone(current);
        const next = (await mutate(draft)) ?? draft;
        const ops = diffPatch(current, next, isReadOnlyReferralMember) as PatchOperation[];
        if (!ops.length) return current;
        try {
          const updated = await patchReferralById(id, ops, { ...o, ifMatch: current.eTag, prefer: 'return=representation' });
          // A service that ignores Prefer answers 204: read the result instead.
          return updated ?? (await getReferralById(id, o));
        } catch (err) {
          if (!(err instanceof ReferralsApiError && err.status === 412) || attempt >= maxAttempts) throw err;
        }
      }
    },
  };
}
