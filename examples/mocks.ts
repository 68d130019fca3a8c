// Your own tests, with no network and no credentials: the MSW handlers from
// partner-center-referrals/mocks answer https://api.partner.microsoft.com in process,
// backed by the same emulator as `npm start`. Runs with node:test; any test runner works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { createReferralsClient, type ReferralsClient } from 'partner-center-referrals';
import { ReferralsEmulator, createReferralsHandlers } from 'partner-center-referrals/mocks';

// The code under test: closes a referral as lost when the CRM opportunity is lost.
async function closeAsLost(client: ReferralsClient, id: string, reason: string) {
  return client.updateReferral(id, (draft) => {
    draft.status = 'Closed';
    draft.substatus = 'Lost';
    draft.statusReason = reason;
  });
}

const emulator = new ReferralsEmulator({ count: 20, rateLimit: false });
const server = setupServer(...createReferralsHandlers({ emulator }));
before(() => server.listen({ onUnhandledRequest: 'error' }));
after(() => server.close());

test('closes an active referral as lost', async () => {
  const client = createReferralsClient({ getToken: () => 'test-token' });
  const active = emulator.store.list().find((r) => r.status === 'Active');
  assert.ok(active, 'the seeded data has an active referral');

  const closed = await closeAsLost(client, active.id, 'Customer chose another vendor.');

  assert.equal(closed.status, 'Closed');
  assert.equal(emulator.store.get(active.id)?.substatus, 'Lost');
});

test('survives throttling: the client waits for Retry-After and tries again', async () => {
  const client = createReferralsClient({ getToken: () => 'test-token' });
  const referral = emulator.store.list().find((r) => r.status === 'New');
  assert.ok(referral);
  emulator.injectFault({ kind: 429, retryAfterSeconds: 1, match: { operation: 'GetReferralById' } });

  const read = await client.getReferralById(referral.id);

  assert.equal(read.id, referral.id);
  assert.equal(emulator.requests.filter((r) => r.operation === 'GetReferralById').at(-1)?.status, 200);
});
