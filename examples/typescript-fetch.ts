import { Configuration, ReferralsApi, ResponseError, ModelErrorFromJSON } from '../generated/typescript-fetch/index.js';

// The plain OpenAPI Generator client: whatever accessToken returns is sent as the whole
// Authorization header, so include "Bearer ". No paging, retries or throttling of its own.
const referrals = new ReferralsApi(
  new Configuration({
    basePath: process.env.REFERRALS_API_URL ?? 'http://127.0.0.1:4010/v1.0/engagements',
    accessToken: async () => `Bearer ${process.env.REFERRALS_TOKEN ?? 'emulator-token'}`,
  }),
);

// One page; for the next, send a request to page.odataNextLink yourself.
const page = await referrals.getAllReferrals({ $top: 3, $orderby: 'updatedDateTime desc' });
for (const r of page.value ?? []) console.log(r.id, r.status, r.updatedDateTime?.toISOString());

// Dates arrive as Date; an update needs the eTag in If-Match.
const first = await referrals.getReferralById({ id: page.value![0]!.id! });
await referrals.patchReferralById({ id: first.id!, ifMatch: first.eTag!, body: [{ op: 'replace', path: '/details/notes', value: 'Called back' }] });

// Errors are a ResponseError holding the raw Response: read the Error body from it.
try {
  await referrals.patchReferralById({ id: first.id!, ifMatch: first.eTag!, body: [{ op: 'replace', path: '/details/notes', value: 'Again' }] });
} catch (err) {
  if (!(err instanceof ResponseError)) throw err;
  const body = ModelErrorFromJSON(await err.response.json());
  console.log('failed', err.response.status, body.code);
}
