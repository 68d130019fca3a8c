/** The emulator core: request semantics and store, no HTTP framework. */
export {
  ReferralsEmulator,
  type EmulatorOptions,
  type EmulatorRequest,
  type EmulatorResponse,
  type Exchange,
  type NetworkFault,
  type RequestLogEntry,
} from './emulator.js';
export { ApiError, errorBody, type ErrorBody } from './errors.js';
export type { FaultKind, FaultMatch, FaultOptions } from './faults.js';
export type { RateLimit } from './throttle.js';
export { ReferralStore, type StoredReferral } from './store.js';
export type { OperationId } from './spec.js';
export { checkResponse, declaredStatuses, type ResponseCheck } from './validate.js';
export { generateReferrals, SEED_PARTNER } from './seed.js';
