import { createReferralsClient, ReferralsApiError, type ReferralInput } from 'partner-center-referrals';

// The emulator (`npm start`) accepts any bearer token. For Partner Center itself, leave out
// baseUrl and pass `credential` (a TokenCredential from @azure/identity) instead of getToken.
const client = createReferralsClient({
  baseUrl: process.env.REFERRALS_API_URL ?? 'http://127.0.0.1:4010/v1.0/engagements',
  getToken: () => process.env.REFERRALS_TOKEN ?? 'emulator-token',
});

// 1. Read: the five most recently updated new referrals. listReferrals follows
//    @odata.nextLink for you; `top` is the page size.
let shown = 0;
for await (const referral of client.listReferrals({ filter: "status eq 'New'", orderby: 'updatedDateTime desc', top: 5 })) {
  console.log(referral.id, referral.status, referral.customerProfile?.name);
  if (++shown === 5) break;
}

// 2. Create: type, customerProfile, consent and details are required. Server-owned
//    fields (id, eTag, createdDateTime, ...) do not compile in a ReferralInput.
const input: ReferralInput = {
  name: 'Contoso supply chain modernization',
  type: 'Independent',
  externalReferenceId: 'CRM-OPP-004211',
  customerProfile: {
    name: 'Contoso Ltd',
    size: '51to250employees',
    address: { city: 'Osaka', country: 'JP' },
    team: [{ firstName: 'Yuki', lastName: 'Tanaka', email: 'yuki.tanaka@contoso.example' }],
  },
  consent: { consentToContact: true, consentToToShareInfoWithOthers: false },
  details: { dealValue: 75000, currency: 'JPY', notes: 'Wants a pilot in Q3.' },
};
const created = await client.createReferral(input);
console.log('created', created.id, created.status, created.substatus, created.eTag);

// 3. Update safely: read, change a copy, send only the difference as JSON Patch with If-Match;
//    on 412 (someone else changed it) read again and re-apply.
const accepted = await client.updateReferral(created.id!, (draft) => {
  draft.status = 'Active';
  draft.substatus = 'Accepted';
});
console.log('accepted', accepted.status, accepted.substatus, accepted.eTag);

// 4. Errors: every failure is a ReferralsApiError with the service's code and description.
try {
  await client.getReferralById('00000000-0000-0000-0000-000000000000');
} catch (err) {
  if (!(err instanceof ReferralsApiError)) throw err;
  console.log('not found', err.status, err.code, err.correlationId);
}
