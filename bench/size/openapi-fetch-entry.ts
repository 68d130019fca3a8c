// Size peer: the same job as bench/size-entry.ts written directly on openapi-fetch with the
// generated types (what a user would otherwise write): the seven operations and a loop over
// @odata.nextLink. No retries, throttling or error class: openapi-fetch has none.
import createClient from 'openapi-fetch';
import type { paths } from '../../generated/referrals.js';

export async function consumer(): Promise<unknown[]> {
  const client = createClient<paths>({ baseUrl: 'https://api.partner.microsoft.com/v1.0/engagements', headers: { Authorization: 'Bearer token' } });
  const out: unknown[] = [];
  let page = (await client.GET('/referrals', { params: { query: { $filter: "status eq 'New'" } } })).data;
  while (page) {
    for (const r of page.value ?? []) out.push(r.id);
    const next = page['@odata.nextLink'];
    page = next ? ((await (await fetch(next, { headers: { Authorization: 'Bearer token' } })).json()) as typeof page) : undefined;
  }
  const created = (await client.POST('/referrals', { body: { type: 'Independent', customerProfile: { name: 'Contoso' }, consent: {}, details: {} } as never })).data!;
  const id = created.id!;
  const path = { id };
  out.push((await client.GET('/referrals/{id}', { params: { path } })).data);
  out.push((await client.PUT('/referrals/{id}', { params: { path, header: { 'If-Match': created.eTag! } }, body: { type: 'Shared' } as never })).data);
  out.push((await client.PATCH('/referrals/{id}', { params: { path }, body: [{ op: 'replace', path: '/status', value: 'Active' }] })).data);
  // Deal registration: the same PATCH endpoint (what Partner Center serves).
  out.push((await client.PATCH('/referrals/{id}', { params: { path }, body: [{ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell' } }] })).data);
  out.push((await client.PATCH('/referrals/{id}', { params: { path }, body: [{ op: 'replace', path: '/registrations/0/contract/term', value: 'Perpetual' }] })).error);
  return out;
}
