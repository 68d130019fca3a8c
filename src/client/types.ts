// Public types, all derived from the generated spec types so they follow openapi/referrals.yaml.
import type { components, operations, Readable, Writable } from '../../generated/referrals.js';

type Schemas = components['schemas'];
type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type SuccessStatus = 200 | 201;

/** The JSON body of an operation's success answer, with write-only fields removed. */
export type OperationResult<K extends keyof operations> = Readable<
  JsonContent<operations[K]['responses'][Extract<keyof operations[K]['responses'], SuccessStatus>]>
>;
/** The JSON request body of an operation, with read-only (server-owned) fields forbidden. */
export type OperationBody<K extends keyof operations> = Writable<JsonContent<operations[K]['requestBody']>>;

/** A referral as the service returns it (server-owned fields included). */
export type Referral = Readable<Schemas['Referral']>;
/**
 * A referral as a create body: server-owned fields such as id and eTag do not compile, and its
 * status can only be New (Pending or Received). Also accepted as a full-replace body.
 */
export type ReferralInput = OperationBody<'CreateReferral'>;
/** A referral as a full-replace body: like {@link ReferralInput}, with any status and substatus. */
export type ReferralReplaceInput = OperationBody<'UpdateReferralById'>;
/** One page of referrals. */
export type ReferralList = OperationResult<'GetAllReferrals'>;
/** A deal registration as the service returns it. */
export type Registration = Readable<Schemas['Registration']>;
/** A new deal registration: server-owned fields such as id and status do not compile. */
export type RegistrationInput = Writable<Schemas['Registration']>;
/** One JSON Patch operation on a referral (the API accepts only add and replace). */
export type PatchOperation = Schemas['PatchOperation'];
/** One JSON Patch operation on a referral's deal registration (a path under /registrations/0/). */
export type DealRegistrationPatchOperation = PatchOperation & { path: `/registrations/${string}` };
/** The error body of every 4xx/5xx answer. */
export type ErrorBody = Schemas['Error'];

type RawQuery = NonNullable<operations['GetAllReferrals']['parameters']['query']>;
/**
 * OData options of the referral list, without the `$`: `{ filter, orderby, top, skip, count, select, expand }`.
 * Sent as `$filter=…` etc.
 */
export type ReferralQuery = { [K in keyof RawQuery as K extends `$${infer Name}` ? Name : never]?: RawQuery[K] };

/** Values the Prefer header may take on the PATCH-based operations. */
export type Prefer = NonNullable<NonNullable<operations['PatchReferralById']['parameters']['header']>['Prefer']>;
