/**
 * The polling trigger of the built package over a scripted timeline: each poll must fire
 * exactly once for every referral created or updated since the previous poll, never for an
 * unchanged one. Two further tests measure the limits no package change removes (README).
 */
import { afterEach, expect, it } from 'vitest';
import { PollingTrigger } from '../../src/connector-runtime/index.js';
import { referralInput, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const TRIGGER = 'OnReferralCreatedOrUpdated';

/** Changes go straight to the emulator (another user in Partner Center), not through the flow's connection. */
async function change(kind: 'create' | 'update', idOrName: string): Promise<string> {
  if (kind === 'create') {
    const res = await fetch(`${h.server.apiUrl}/referrals`, { method: 'POST', headers: { authorization: 'Bearer other-user', 'content-type': 'application/json' }, body: JSON.stringify(referralInput(idOrName)) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }
  const res = await fetch(`${h.server.apiUrl}/referrals/${idOrName}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer other-user', 'content-type': 'application/json' },
    body: JSON.stringify([{ op: 'replace', path: '/details/notes', value: `changed at ${h.clock.now().toISOString()}` }]),
  });
  expect(res.status).toBe(204);
  return idOrName;
}

function firedIds(runs: unknown[]): string[] {
  // batch trigger: one run per poll, holding the array
  expect(runs.length).toBeLessThanOrEqual(1);
  return runs.flatMap((run) => (run as Array<{ id: string }>).map((r) => r.id)).sort();
}

it('fires exactly once per change between polls over a 150-change timeline', async () => {
  h = await startHarness({ count: 20 });
  const seeded = ((await (await fetch(`${h.server.apiUrl}/referrals?$top=20`, { headers: { authorization: 'Bearer x' } })).json()) as { value: Array<{ id: string }> }).value.map((r) => r.id);
  // An update that lands while the poll is in flight: after the service read, before the trigger saves its state.
  const { conn, hook } = h.connectWithHook();
  const trigger = new PollingTrigger(conn, TRIGGER);
  const tick = () => h.clock.advance(1000);
  let changes = 0;
  const expectPoll = async (expected: string[]) => {
    tick();
    const poll = await trigger.poll();
    expect(firedIds(poll.runs)).toEqual([...expected].sort());
    expect(poll.status).toBe(expected.length ? 200 : 202);
    return poll;
  };

  // 1. The first poll sets the state and fires nothing.
  expect((await trigger.poll()).status).toBe(202);

  /** `creates` new referrals and updates of `updates`, one clock tick apart; returns their ids. */
  const changeMany = async (creates: number, updates: string[], label: string) => {
    const ids: string[] = [];
    for (let i = 0; i < creates; i++) {
      tick();
      ids.push(await change('create', `${label} ${i}`));
    }
    for (const id of updates) {
      tick();
      ids.push(await change('update', id));
    }
    changes += ids.length;
    return ids;
  };

  // 2. Creates and updates between two polls.
  await expectPoll(await changeMany(5, seeded.slice(0, 5), 'New'));

  // 3. Two updates with the same updatedDateTime: both fire, once.
  tick();
  const same = [await change('update', seeded[5]!), await change('update', seeded[6]!)];
  changes += 2;
  await expectPoll(same);

  // 4. Empty polls keep the state.
  await expectPoll([]);
  await expectPoll([]);

  // 5. More changes than fit one page (page size 100): the poll follows the next link.
  const polledBefore = h.received.length;
  const bulk = await expectPoll(await changeMany(110, seeded.slice(7, 17), 'Bulk'));
  expect(bulk.pages).toBe(2);
  // What reached the service: the changes' own calls, then page 1 with the state filter, then
  // page 2 through the rewritten link (same filter and order, carried in the skip token).
  const [page1, page2] = h.received.slice(-2).map((x) => new URL(x.request.url).searchParams);
  expect(h.received.length - polledBefore).toBe(120 + 2);
  expect(page1!.get('$filter')).toMatch(/^updatedDateTime gt \d{4}-\d\d-\d\dT[\d:.]+Z$/);
  expect(page1!.get('$orderby')).toBe('updatedDateTime desc');
  expect(page2!.has('$skiptoken')).toBe(true);

  // 6. An update lands during a poll: not in this poll, exactly once in the next.
  tick();
  const before = [await change('update', seeded[17]!)];
  changes++;
  let landed = '';
  hook.run = async () => {
    tick();
    landed = await change('update', seeded[18]!);
    changes++;
  };
  await expectPoll(before);
  expect(landed).toBe(seeded[18]);
  await expectPoll([landed]);

  // 7. A referral updated twice between polls fires once; an empty poll after it fires nothing.
  tick();
  await change('update', seeded[19]!);
  tick();
  await change('update', seeded[19]!);
  changes += 2;
  await expectPoll([seeded[19]!]);
  await expectPoll([]);

  expect(changes).toBeGreaterThanOrEqual(50);
});

it('limit: an update stamped with the same instant as the newest change already seen, landing after the read, is missed', async () => {
  h = await startHarness({ count: 3 });
  const ids = ((await (await fetch(`${h.server.apiUrl}/referrals`, { headers: { authorization: 'Bearer x' } })).json()) as { value: Array<{ id: string }> }).value.map((r) => r.id);
  const conn = h.connect({ callLimit: false });
  const trigger = new PollingTrigger(conn, TRIGGER);
  await trigger.poll();
  h.clock.advance(1000);
  await change('update', ids[0]!);
  expect(firedIds((await trigger.poll()).runs)).toEqual([ids[0]]);
  // Same clock reading as the change just seen: `gt` excludes it, `ge` would repeat ids[0] forever.
  await change('update', ids[1]!);
  h.clock.advance(1000);
  expect((await trigger.poll()).status).toBe(202);
});

it('limit: a change landing between the pages of one poll shifts the offset pages and repeats an item', async () => {
  h = await startHarness({ count: 0 });
  const { conn, hook } = h.connectWithHook();
  const trigger = new PollingTrigger(conn, TRIGGER);
  await change('create', 'Seed');
  await trigger.poll();
  const created: string[] = [];
  for (let i = 0; i < 105; i++) {
    h.clock.advance(1000);
    created.push(await change('create', `C${i}`));
  }
  // Between page 1 and page 2 an older one changes and moves to the top of the newest-first list.
  hook.run = async () => {
    h.clock.advance(1000);
    await change('update', created[0]!);
  };
  const poll = await trigger.poll();
  const ids = firedIds(poll.runs);
  // Page 2 starts one item early: created[5] arrives twice in this run, and created[0] (now the
  // newest) is not in it at all.
  expect(ids).toHaveLength(105);
  expect(ids.filter((id) => id === created[5])).toHaveLength(2);
  expect(ids).not.toContain(created[0]);
  // The next poll picks created[0] up: a repeat, but no loss.
  h.clock.advance(1000);
  expect(firedIds((await trigger.poll()).runs)).toEqual([created[0]]);
});

it('limit: on an account with no referrals yet, the changes before the first non-empty poll are not reported', async () => {
  h = await startHarness({ count: 0 });
  const trigger = new PollingTrigger(h.connect({ callLimit: false }), TRIGGER);
  // value[0] of an empty answer gives no state: the trigger stays at "first poll".
  expect((await trigger.poll()).status).toBe(202);
  h.clock.advance(1000);
  await change('create', 'First ever');
  expect((await trigger.poll()).status).toBe(202); // this poll only now establishes the state
  h.clock.advance(1000);
  const later = await change('create', 'Second');
  expect(firedIds((await trigger.poll()).runs)).toEqual([later]);
});
