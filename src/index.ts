/**
 * Typed client for the Microsoft Partner Center Referrals API, built on the
 * types generated from openapi/referrals.yaml (the connector's spec).
 *
 * ```ts
 * import { DefaultAzureCredential } from '@azure/identity';
 * import { createReferralsClient } from 'partner-center-referrals';
 *
 * const client = createReferralsClient({ credential: new DefaultAzureCredential() });
 * for await (const r of client.listReferrals({ filter: "status eq 'New'" })) console.log(r.id, r.name);
 * await client.updateReferral(id, (r) => { r.status = 'Active'; r.substatus = 'Accepted'; });
 * ```
 *
 * Uses only `fetch`, `AbortController`, `structuredClone` and `crypto.randomUUID`
 * (browsers expose the latter in secure contexts only), so it runs in Node 20+,
 * browsers, Deno and Bun. The emulator lives under `partner-center-referrals/mocks`
 * so that client bundles never include it.
 *
 * @packageDocumentation
 */
export { createReferralsClient } from './client/client.js';
export type { CreateOptions, PatchOptions, ReferralsClient, UpdateOptions } from './client/client.js';
export type { CallOptions, ReferralsClientOptions } from './client/transport.js';
export { watchReferrals } from './client/watch.js';
export type { ChangeBatch, WatchCheckpoint, WatchOptions, WatchState } from './client/watch.js';
export { ReferralsApiError } from './client/errors.js';
export type { ReferralsApiErrorInit } from './client/errors.js';
export { PARTNER_CENTER_SCOPE } from './client/auth.js';
export type { GetToken } from './client/auth.js';
export type { RetryOptions } from './client/retry.js';
export type { RateLimitOptions } from './client/rate-limit.js';
export type { PagedList, ODataPage } from './client/paging.js';
export type {
  DealRegistrationPatchOperation,
  ErrorBody,
  OperationBody,
  OperationResult,
  PatchOperation,
  Prefer,
  Referral,
  ReferralInput,
  ReferralList,
  ReferralQuery,
  ReferralReplaceInput,
  Registration,
  RegistrationInput,
} from './client/types.js';
