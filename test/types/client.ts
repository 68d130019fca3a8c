// Type-level tests: `tsc -p test/types/tsconfig.json` (and `npm test`, which type-checks the whole project) fails if a line
// marked with the expect-error directive compiles (TS2578) or if a positive line does not.
import {
  createReferralsClient,
  ReferralsApiError,
  type DealRegistrationPatchOperation,
  type PatchOperation,
  type Referral,
  type ReferralInput,
  type ReferralList,
  type ReferralQuery,
  type ReferralReplaceInput,
  type RegistrationInput,
} from '../../src/index.js';
import type { operations } from '../../generated/referrals.js';

const client = createReferralsClient({ getToken: () => 'token', retry: { maxRetries: 1 }, rateLimit: false });
declare const referral: Referral;
const input: ReferralInput = { type: 'Independent', customerProfile: { name: 'Contoso' }, consent: { consentToContact: true }, details: { notes: 'n' } };
const replacement: ReferralReplaceInput = { ...input, status: 'Active', substatus: 'Accepted' };
const ops: PatchOperation[] = [{ op: 'replace', path: '/status', value: 'Active' }];

export async function positives(): Promise<void> {
  const created: Referral = await client.createReferral(input, { requestId: crypto.randomUUID() });
  const id: string | undefined = created.id;
  const etag: string | undefined = created.eTag;
  const status: 'New' | 'Active' | 'Closed' | 'None' | undefined = created.status;
  const page: ReferralList = await client.getAllReferrals({ filter: "status eq 'New'", top: 10, skip: 0, count: true, orderby: 'createdDateTime desc', select: 'id', expand: 'x' });
  const count: number | undefined = page['@odata.count'];
  for await (const r of client.listReferrals({ filter: "status eq 'New'" })) {
    const name: string | undefined = r.name;
    const consent: boolean | undefined = r.consent.consentToToShareInfoWithOthers;
    void name, consent;
  }
  for await (const p of client.listReferrals().byPage({ continuationToken: page['@odata.nextLink'] })) void p.value?.length;
  await client.getReferralById('id', { correlationId: 'c', signal: AbortSignal.timeout(1000), timeoutMs: 5000 });
  await client.updateReferralById('id', replacement, { ifMatch: referral.eTag! });
  await client.createReferral({ ...input, status: 'New', substatus: 'Received' });
  const patched: Referral | undefined = await client.patchReferralById('id', ops, { ifMatch: '"1"', prefer: 'return=representation' });
  const registration: RegistrationInput = { type: 'AzureIPCoSell', contract: {} };
  await client.createDealRegistration('id', registration, { ifMatch: '"1"', prefer: 'return=representation' });
  const regOps: DealRegistrationPatchOperation[] = [{ op: 'replace', path: '/registrations/0/contract/term', value: 'Perpetual' }];
  await client.updateDealRegistration('id', regOps);
  await client.updateReferral('id', (draft) => {
    draft.status = 'Active';
    draft.details.notes = null;
  });
  await client.updateReferral('id', async (draft) => ({ ...draft, name: 'renamed' }), { maxAttempts: 5 });
  try {
    await client.getReferralById('id');
  } catch (err) {
    if (err instanceof ReferralsApiError) {
      const fields: [number, string, string, string, string | undefined, string | undefined] = [err.status, err.code, err.description, err.operation, err.correlationId, err.requestId];
      void fields;
    }
  }
  void id, etag, status, count, patched;
}

export async function negatives(): Promise<void> {
  // @ts-expect-error a value outside the `type` enum
  await client.createReferral({ ...input, type: 'Private' });
  // @ts-expect-error a value outside the orderby enum
  await client.getAllReferrals({ orderby: 'name asc' });
  // @ts-expect-error the id is missing
  await client.getReferralById();
  // @ts-expect-error the id is not a string
  await client.patchReferralById(42, ops);
  // @ts-expect-error id is read-only (server-assigned) in a create body
  await client.createReferral({ ...input, id: '2f6d3b8e-5c1a-4e8f-9a7b-1d2c3e4f5a6b' });
  // @ts-expect-error eTag is read-only in a create body
  await client.createReferral({ ...input, eTag: '"1"' });
  // @ts-expect-error createdDateTime is read-only in a full-replace body
  await client.updateReferralById('id', { ...input, createdDateTime: '2024-01-01T00:00:00Z' }, { ifMatch: '"1"' });
  // @ts-expect-error a referral is created with status New (ReferralCreate in the spec)
  await client.createReferral({ ...input, status: 'Active' });
  // @ts-expect-error a new referral's substatus is Pending or Received
  await client.createReferral({ ...input, substatus: 'Won' });
  // @ts-expect-error a Referral as read (with id, eTag…) is not a create body
  await client.createReferral(referral);
  // @ts-expect-error customerProfile is required
  await client.createReferral({ type: 'Shared', consent: {}, details: {} });
  // @ts-expect-error top is a number
  await client.getAllReferrals({ top: '10' });
  // @ts-expect-error count is a boolean
  await client.getAllReferrals({ count: 'true' });
  // @ts-expect-error options are named without the OData `$`
  await client.getAllReferrals({ $filter: "status eq 'New'" });
  // @ts-expect-error PUT requires If-Match
  await client.updateReferralById('id', input, {});
  // @ts-expect-error the API accepts only add and replace
  await client.patchReferralById('id', [{ op: 'remove', path: '/status' }]);
  // @ts-expect-error Prefer has two values
  await client.patchReferralById('id', ops, { prefer: 'return=everything' });
  // @ts-expect-error a registration's status is server-owned
  await client.createDealRegistration('id', { type: 'AzureIPCoSell', status: 'Approved' });
  // @ts-expect-error a wrong registration type
  await client.createDealRegistration('id', { type: 'Resale' });
  // @ts-expect-error a deal registration update patches paths under /registrations/
  await client.updateDealRegistration('id', [{ op: 'replace', path: '/status', value: 'Active' }]);
  // @ts-expect-error listReferrals yields referrals, whose status is a string enum
  for await (const r of client.listReferrals()) r.status = 5;
  // @ts-expect-error unknown client option
  createReferralsClient({ retries: 3 });
  // @ts-expect-error timeoutMs is a number of milliseconds
  await client.getReferralById('id', { timeoutMs: '5s' });
  // @ts-expect-error rateLimit is an object or false
  createReferralsClient({ rateLimit: true });
}

// The client prefixes every query option with `$`: it holds only while the spec's list
// parameters are all OData options.
type SpecQueryKeys = keyof NonNullable<operations['GetAllReferrals']['parameters']['query']>;
export const onlyODataQueryKeys: Exclude<SpecQueryKeys, `$${string}`> extends never ? true : false = true;
export const everyODataOptionOffered: `$${keyof ReferralQuery}` extends SpecQueryKeys ? (SpecQueryKeys extends `$${keyof ReferralQuery}` ? true : false) : false = true;
