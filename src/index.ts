// Package root: the typed Partner Center Referrals client. The emulator is under
// `partner-center-referrals/mocks` so that client bundles never include it.
export { createReferralsClient } from './client/client.js';
export type { CreateOptions, CreateRegistrationOptions, PatchOptions, ReferralsClient, UpdateOptions } from './client/client.js';
export type { CallOptions, ReferralsClientOptions } from './client/transport.js';
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
  Registration,
  RegistrationInput,
} from './client/types.js';
