// Size peer: the same job as bench/size-entry.ts on the OpenAPI Generator typescript-fetch client
// committed in generated/typescript-fetch/: the seven operations and a loop over @odata.nextLink
// (the client has no call for an opaque link, so a pre-middleware points one request at it).
// Type-checked by test/generator/tsconfig.json (see the root tsconfig's exclude).
import { Configuration, ReferralsApi } from '../../generated/typescript-fetch/index.js';

export async function consumer(): Promise<unknown[]> {
  const config = new Configuration({ accessToken: 'Bearer token' });
  const referrals = new ReferralsApi(config);
  const out: unknown[] = [];
  let page = await referrals.getAllReferrals({ $filter: "status eq 'New'" });
  for (;;) {
    for (const r of page.value ?? []) out.push(r.id);
    const next = page.odataNextLink;
    if (!next) break;
    page = await referrals.withPreMiddleware(async ({ init }) => ({ url: next, init })).getAllReferrals({});
  }
  const created = await referrals.createReferral({ body: { type: 'Independent', customerProfile: { name: 'Contoso' }, consent: {}, details: {} } });
  const id = created.id!;
  out.push(await referrals.getReferralById({ id }));
  out.push(await referrals.updateReferralById({ id, ifMatch: created.eTag!, body: { type: 'Shared', customerProfile: { name: 'Contoso' }, consent: {}, details: {} } }));
  out.push(await referrals.patchReferralById({ id, body: [{ op: 'replace', path: '/status', value: 'Active' }] }));
  // Deal registration: the same PATCH endpoint (what Partner Center serves).
  out.push(await referrals.patchReferralById({ id, body: [{ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell' } }] }));
  out.push(await referrals.patchReferralById({ id, body: [{ op: 'replace', path: '/registrations/0/contract/term', value: 'Perpetual' }] }));
  return out;
}
