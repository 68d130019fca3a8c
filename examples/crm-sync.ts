import { readFile, writeFile } from 'node:fs/promises';
import { createReferralsClient, ReferralsApiError, watchReferrals, type WatchState } from 'partner-center-referrals';

const client = createReferralsClient({
  baseUrl: process.env.REFERRALS_API_URL ?? 'http://127.0.0.1:4010/v1.0/engagements',
  getToken: () => process.env.REFERRALS_TOKEN ?? 'emulator-token',
});

// 1. The checkpoint: where the watch stands. load() on start; save() after each batch you took,
//    so a restart resumes there. (A database can store batch.state in the batch's transaction.)
const file = process.env.CHECKPOINT_FILE ?? 'referrals-checkpoint.json';
const checkpoint = {
  load: async () => JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as WatchState | null ?? undefined,
  save: (state: WatchState) => writeFile(file, JSON.stringify(state)),
};

// 2. Your CRM; here a Map of opportunities by referral id.
const crm = new Map<string, { name?: string; status?: string; eTag?: string }>();

// 3. Watch: each change once, oldest first, even with equal timestamps or late arrivals.
//    `once` ends when caught up (a scheduled job); without it, it polls every pollIntervalMs.
for await (const batch of watchReferrals(client, { filter: "status eq 'New'", checkpoint, once: true })) {
  for (const r of batch.changes) crm.set(r.id!, { name: r.name, status: r.status, eTag: r.eTag });
  console.log(`applied ${batch.changes.length} changes up to ${batch.state.since}`);
}

// 4. Write back with the eTag you last saw: a 412 means it changed on the service since.
//    Never overwrite: the next batch brings the new version; decide then.
const [id, opportunity] = [...crm][0] ?? [];
if (id && opportunity) {
  try {
    await client.patchReferralById(id, [{ op: 'replace', path: '/details/notes', value: 'Called the customer' }], { ifMatch: opportunity.eTag });
    console.log('updated', id);
  } catch (err) {
    if (!(err instanceof ReferralsApiError && err.status === 412)) throw err;
    console.log('conflict', id, err.description);
  }
}
