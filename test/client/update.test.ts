// updateReferral: read, diff to JSON Patch, send with If-Match, and on 412 read and re-apply.
import { describe, expect, it, vi } from 'vitest';
import { ReferralsApiError, type Referral } from '../../src/index.js';
import { newReferral, useEmulator } from './emulator-harness.js';

const start = useEmulator();

async function fixture() {
  const h = start();
  const created = await h.client.createReferral(newReferral());
  h.emulator.requests.length = 0;
  return { ...h, id: created.id!, created };
}

const patchBodies = (requests: { method: string; body?: string }[]) => requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body!));

describe('updateReferral', () => {
  it('sends only the changes, with the eTag it read, and returns the updated referral', async () => {
    const { client, emulator, id, created } = await fixture();
    const updated = await client.updateReferral(id, (r) => {
      r.status = 'Active';
      r.substatus = 'Accepted';
      r.details.notes = 'Call on Monday';
      r.details.closingDateTime = '2025-12-31T00:00:00Z';
    });
    expect(updated).toMatchObject({ id, status: 'Active', substatus: 'Accepted', details: { notes: 'Call on Monday', closingDateTime: '2025-12-31T00:00:00Z' } });
    expect(updated.eTag).not.toBe(created.eTag);
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PATCH 200']);
    const patch = emulator.requests[1]!;
    expect(patch.headers['if-match']).toBe(created.eTag);
    expect(patch.headers.prefer).toBe('return=representation');
    const ops = (JSON.parse(patch.body!) as { path: string }[]).sort((a, b) => a.path.localeCompare(b.path));
    expect(ops).toEqual([
      { op: 'add', path: '/details/closingDateTime', value: '2025-12-31T00:00:00Z' },
      { op: 'replace', path: '/details/notes', value: 'Call on Monday' },
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
  });

  it('accepts a returned object instead of in-place changes, and async mutators', async () => {
    const { client, id } = await fixture();
    const updated = await client.updateReferral(id, async (r) => ({ ...r, name: 'Renamed', externalReferenceId: 'CRM-1' }));
    expect(updated).toMatchObject({ name: 'Renamed', externalReferenceId: 'CRM-1' });
  });

  it('never sends server-owned fields, even if the mutator changes or drops them', async () => {
    const { client, emulator, id } = await fixture();
    const updated = await client.updateReferral(id, (r) => {
      const { links: _links, createdDateTime: _c, ...rest } = r;
      return { ...rest, id: 'someone-else', eTag: '"forged"', updatedDateTime: '2000-01-01T00:00:00Z', direction: 'Incoming', name: 'Only this changes' } as Referral;
    });
    expect(updated.id).toBe(id);
    expect(patchBodies(emulator.requests)).toEqual([[{ op: 'replace', path: '/name', value: 'Only this changes' }]]);
  });

  it('reads the result back when the service ignores Prefer and answers 204', async () => {
    const { newClient, emulator, id } = await fixture();
    // A gateway that drops the Prefer header, so the PATCH answers 204 without a body.
    const client = newClient({
      fetch: (url, init) => {
        const headers = new Headers(init.headers);
        headers.delete('prefer');
        return globalThis.fetch(url, { ...init, headers });
      },
    });
    const updated = await client.updateReferral(id, (r) => {
      r.name = 'Read back';
    });
    expect(updated).toMatchObject({ id, name: 'Read back', eTag: emulator.store.get(id)!.eTag });
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PATCH 204', 'GET 200']);
  });

  it('makes no PATCH when nothing changed', async () => {
    const { client, emulator, id } = await fixture();
    const same = await client.updateReferral(id, () => {});
    expect(same.id).toBe(id);
    expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('refuses to drop a field, saying to set it to null instead, and sends nothing', async () => {
    const { client, emulator, id } = await fixture();
    await expect(
      client.updateReferral(id, (r) => {
        delete r.details.notes;
      }),
    ).rejects.toThrow(/removes \/details\/notes.*set it to null/);
    expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
    const nulled = await client.updateReferral(id, (r) => {
      r.details.notes = null;
    });
    expect(nulled.details.notes).toBeNull();
  });

  it('on 412 reads again and re-applies the change on top of the concurrent one', async () => {
    const { client, emulator, id } = await fixture();
    let calls = 0;
    const updated = await client.updateReferral(id, (r) => {
      if (++calls === 1) {
        // Someone else changes the referral between our read and our write.
        emulator.store.update(id, (stored) => {
          (stored.details as Record<string, unknown>).dealValue = 9999;
        });
      }
      r.status = 'Active';
      r.substatus = 'Accepted';
    });
    expect(calls).toBe(2);
    expect(updated).toMatchObject({ status: 'Active', details: { dealValue: 9999 } });
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PATCH 412', 'GET 200', 'PATCH 200']);
    const [first, second] = emulator.requests.filter((r) => r.method === 'PATCH');
    expect(first!.headers['if-match']).not.toBe(second!.headers['if-match']);
  });

  it('gives up with the 412 after maxAttempts rounds of conflicts', async () => {
    const { client, emulator, id } = await fixture();
    const mutate = vi.fn((r: Referral) => {
      emulator.store.update(id, () => {});
      r.name = `attempt ${mutate.mock.calls.length}`;
    });
    const err = await client.updateReferral(id, mutate, { maxAttempts: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect(err).toMatchObject({ status: 412, code: 'PreconditionFailed', operation: 'PatchReferralById' });
    expect(mutate).toHaveBeenCalledTimes(2);
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PATCH 412', 'GET 200', 'PATCH 412']);
  });

  it('lets two writers race: both changes land, neither is lost', async () => {
    const { client, newClient, emulator, id } = await fixture();
    const other = newClient();
    await Promise.all([
      client.updateReferral(id, (r) => {
        r.details.notes = 'from writer A';
      }),
      other.updateReferral(id, (r) => {
        r.details.dealValue = 4242;
      }),
    ]);
    expect(emulator.store.get(id)!.details).toMatchObject({ notes: 'from writer A', dealValue: 4242 });
  });

  it('reports other errors at once (here 404), without re-reading', async () => {
    const { client, emulator } = await fixture();
    await expect(client.updateReferral('00000000-0000-4000-8000-000000000000', () => {})).rejects.toMatchObject({ status: 404 });
    expect(emulator.requests).toHaveLength(1);
  });
});
