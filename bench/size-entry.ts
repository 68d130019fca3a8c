// What a consumer bundles to use the whole client: every action, paging, updateReferral and
// the error class. Measured (esbuild --bundle --minify, then gzip) by test/client/bundle-size.ts.
import { createReferralsClient, ReferralsApiError } from '../src/index.js';

export async function consumer(): Promise<unknown[]> {
  const client = createReferralsClient({ getToken: () => 'token', rateLimit: { limit: 50 }, retry: { maxRetries: 2 } });
  const out: unknown[] = [];
  try {
    for await (const r of client.listReferrals({ filter: "status eq 'New'" })) out.push(r.id);
    for await (const page of client.listReferrals().byPage()) out.push(page['@odata.count']);
    out.push(await client.getAllReferrals({ top: 10 }));
    const created = await client.createReferral({ type: 'Independent', customerProfile: { name: 'Contoso' }, consent: {}, details: {} });
    const id = created.id!;
    out.push(await client.getReferralById(id));
    out.push(await client.updateReferralById(id, { type: 'Shared', customerProfile: { name: 'Contoso' }, consent: {}, details: {} }, { ifMatch: created.eTag! }));
    out.push(await client.patchReferralById(id, [{ op: 'replace', path: '/status', value: 'Active' }]));
    out.push(await client.createDealRegistration(id, { type: 'AzureIPCoSell' }));
    out.push(await client.updateDealRegistration(id, [{ op: 'replace', path: '/registrations/0/contract/term', value: 'Perpetual' }]));
    out.push(await client.updateReferral(id, (r) => void (r.status = 'Closed')));
  } catch (err) {
    if (err instanceof ReferralsApiError) out.push(err.status, err.code);
  }
  return out;
}
