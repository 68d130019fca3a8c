// listReferrals against the emulator: every page, exactly one request per page, early exit,
// resuming from a next link, and refusing next links to another host.
import { describe, expect, it } from 'vitest';
import { ReferralsApiError, type Referral } from '../../src/index.js';
import { useEmulator } from './emulator-harness.js';

const start = useEmulator();

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('listReferrals', () => {
  it('yields every referral across pages with ceil(N / page size) requests', async () => {
    const { client, emulator } = start({ count: 57, maxPageSize: 10 });
    const all = await collect(client.listReferrals());
    expect(all).toHaveLength(57);
    expect(new Set(all.map((r) => r.id)).size).toBe(57);
    expect(new Set(all.map((r) => r.id))).toEqual(new Set(emulator.store.list().map((r) => r.id)));
    expect(emulator.requests).toHaveLength(Math.ceil(57 / 10));
    expect(emulator.requests.every((r) => r.status === 200 && r.operation === 'GetAllReferrals')).toBe(true);
  });

  it("follows a filter through every page (status eq 'New')", async () => {
    const { client, emulator } = start({ count: 120, maxPageSize: 7 });
    const expected = emulator.store.list().filter((r) => r.status === 'New');
    expect(expected.length).toBeGreaterThan(14);
    const got: Referral[] = [];
    for await (const r of client.listReferrals({ filter: "status eq 'New'" })) got.push(r);
    expect(got.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(got.every((r) => r.status === 'New')).toBe(true);
    expect(emulator.requests).toHaveLength(Math.ceil(expected.length / 7));
    expect(emulator.requests[0]!.path).toContain('$filter=status%20eq%20%27New%27');
  });

  it('honours a smaller $top as the page size', async () => {
    const { client, emulator } = start({ count: 23 });
    const all = await collect(client.listReferrals({ top: 5, orderby: 'updatedDateTime desc' }));
    expect(all).toHaveLength(23);
    const stamps = all.map((r) => r.updatedDateTime!);
    expect(stamps).toEqual([...stamps].sort().reverse());
    expect(emulator.requests).toHaveLength(5);
  });

  it('makes one request for an empty result and for a single page', async () => {
    const empty = start({ count: 0 });
    expect(await collect(empty.client.listReferrals())).toEqual([]);
    expect(empty.emulator.requests).toHaveLength(1);
    const one = start({ count: 10, maxPageSize: 10 });
    expect(await collect(one.client.listReferrals())).toHaveLength(10);
    expect(one.emulator.requests).toHaveLength(1);
  });

  it('stops requesting when the caller breaks out', async () => {
    const { client, emulator } = start({ count: 50, maxPageSize: 10 });
    let n = 0;
    for await (const _ of client.listReferrals()) if (++n === 15) break;
    expect(emulator.requests).toHaveLength(2);
  });

  it('byPage gives the pages, and a next link resumes where it left off', async () => {
    const { client, emulator } = start({ count: 25, maxPageSize: 10 });
    const pages = await collect(client.listReferrals(undefined).byPage());
    expect(pages.map((p) => p.value!.length)).toEqual([10, 10, 5]);
    expect(pages[0]!['@odata.nextLink']).toMatch(/^https:\/\/api\.partner\.microsoft\.com\/v1\.0\/engagements\/referrals\?\$skiptoken=/);
    expect(pages[2]!['@odata.nextLink']).toBeUndefined();

    const resumed = await collect(client.listReferrals().byPage({ continuationToken: pages[0]!['@odata.nextLink'] }));
    expect(resumed.flatMap((p) => p.value!.map((r) => r.id))).toEqual(pages.slice(1).flatMap((p) => p.value!.map((r) => r.id)));
    expect(emulator.requests).toHaveLength(5);
  });

  it('each for-await starts again from the first page', async () => {
    const { client } = start({ count: 12, maxPageSize: 5 });
    const list = client.listReferrals();
    expect((await collect(list)).length).toBe(12);
    expect((await collect(list)).length).toBe(12);
  });

  it('refuses to send the token to a next link on another host', async () => {
    const { newClient, emulator } = start({ count: 12, maxPageSize: 5 });
    // A proxy in the middle rewrites the next link to another host.
    const client = newClient({
      fetch: async (url, init) => {
        const res = await globalThis.fetch(url, init);
        const text = (await res.text()).replace(/https:\/\/api\.partner\.microsoft\.com/g, 'https://evil.example');
        return new Response(text, { status: res.status, headers: res.headers });
      },
    });
    await expect(collect(client.listReferrals())).rejects.toThrow(/@odata.nextLink leaves https:\/\/api.partner.microsoft.com: not following https:\/\/evil.example/);
    expect(emulator.requests).toHaveLength(1);
  });

  it('passes errors of a later page to the loop', async () => {
    const { client, emulator } = start({ count: 30, maxPageSize: 10 }, { retry: false });
    const seen: string[] = [];
    const loop = async () => {
      for await (const r of client.listReferrals()) {
        seen.push(r.id!);
        if (seen.length === 10) emulator.injectFault({ kind: 500 });
      }
    };
    await expect(loop()).rejects.toBeInstanceOf(ReferralsApiError);
    expect(seen).toHaveLength(10);
  });
});
