/** Concurrency in the core; the same races over both adapters (MSW, sockets) are in adapters.test.ts. */
import { describe, expect, it } from 'vitest';
import { call, createReferral, newEmulator, referralInput } from './helpers.js';

describe('concurrency', () => {
  it('50 concurrent PATCHes with the same If-Match: exactly one wins, 49 get 412, nothing is lost', async () => {
    const em = newEmulator();
    const created = await createReferral(em, { tags: [] });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(em, 'PATCH', `/referrals/${created.id}`, {
          json: [{ op: 'add', path: '/tags/-', value: `writer-${i}` }],
          headers: { 'if-match': created.eTag },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const winner = results.findIndex((r) => r.status === 204);
    const stored = em.store.get(created.id)!;
    expect(stored.tags).toEqual([`writer-${winner}`]);
    expect(stored.eTag).toBe(results[winner]!.headers.etag);
  });

  it('concurrent PATCHes without If-Match all apply, none lost', async () => {
    const em = newEmulator();
    const created = await createReferral(em, { tags: [] });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(em, 'PATCH', `/referrals/${created.id}`, { json: [{ op: 'add', path: '/tags/-', value: `t${i}` }] })),
    );
    expect(new Set(em.store.get(created.id)!.tags as string[])).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `t${i}`)));
  });

  it('concurrent creates with distinct request ids all land; repeated ids land once', async () => {
    const em = newEmulator();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(em, 'POST', '/referrals', {
          json: referralInput({ name: `Deal ${i % 20}` }),
          headers: { 'ms-requestid': `00000000-0000-4000-8000-${String(i % 20).padStart(12, '0')}` },
        }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(em.store.size).toBe(20);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(20);
  });
});
