// One mirror, several runs: a second sync or push on a mirror in use is refused with a message
// naming the run that holds it, two runs started together never both write, and versions that
// share an updatedDateTime are neither recorded twice nor applied out of order.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Mirror } from '../../src/cli/mirror.js';
import type { Referral } from '../../src/index.js';
import { serve, spawnCli, stillAlive, until, useCleanup } from '../cli/helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
import { journalRows, readMirror, storeDocs } from './mirror-helpers.js';

const { tmp } = useCleanup();

const FOLLOW = ['--poll-interval', '0.02', '--rate-limit', '10000/1'];

describe('two real processes on one mirror', () => {
  it('a second sync and a push are refused while a sync runs; with versions sharing timestamps, nothing is recorded twice or regressed', async () => {
    // A 25 ms clock: the updates below give many versions of one referral the same updatedDateTime.
    const s = await serve({ count: 40, now: () => new Date(Math.floor(Date.now() / 25) * 25) });
    const db = join(tmp(), 'crm.db');
    const first = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, ...FOLLOW]);
    await until('the first sync to commit', () => journalRows(db) >= 40, first.output);

    const ids = s.emulator.store.list().map((r) => r.id);
    let n = 0;
    const churn = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        // Three versions of one referral in one tick, then others: the mirror sees some, not all.
        for (let k = 0; k < 3; k++) s.emulator.store.update(ids[i % 7]!, (r) => void (r.name = `Update ${n++}`));
        await sleep(i % 5 === 0 ? 30 : 1);
      }
    };
    const busy = churn(150);
    const second = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, '--once']);
    const push = spawnCli(['push', '--db', db, '--base-url', s.server.apiUrl]);
    expect((await second.exited).code).toBe(1);
    expect((await push.exited).code).toBe(1);
    // Both told who holds the mirror: the first sync.
    const inUse = `Error: ${db} is in use by another sync (process ${first.child.pid}, since <time>); one run at a time keeps the mirror exact. Wait for it to finish, or stop it (Ctrl-C), then run this again.\n`;
    const since = (text: string) => text.replace(/since \d{4}-[\d-]+T[\d:.]+Z/, 'since <time>');
    expect(second.output()).toEqual({ stdout: '', stderr: expect.any(String) });
    expect(since(second.output().stderr)).toBe(inUse);
    expect(since(push.output().stderr)).toBe(inUse);
    await busy;

    await until('the first sync to catch up', () => readMirror(db).rows.every((r) => s.emulator.store.get(r.id)!.eTag === r.etag), first.output);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(130);
    expect(await stillAlive(first.child)).toEqual([]);

    // With the mirror free again, the second one runs: nothing new, nothing applied twice.
    const again = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, '--once']);
    expect((await again.exited).code).toBe(0);
    expect(again.output().stdout).toBe(`synced: 0 changes applied; ${db} mirrors 40 referrals\n`);
    const m = readMirror(db);
    expect(m.docs).toEqual(storeDocs(s.emulator));
    expect(m.duplicates).toEqual([]);
    // Each referral's last journal row is its current version: no older version came back after it.
    const last = new Map(m.journal.map((j) => [j.id, j.etag]));
    expect(ids.filter((id) => last.get(id) !== s.emulator.store.get(id)!.eTag)).toEqual([]);
  }, 120_000);

  it('two syncs started at once on a new file: exactly one runs, the other is refused', async () => {
    const s = await serve({ count: 30 });
    const dir = tmp();
    const db = join(dir, 'crm.db');
    const runs = [spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, ...FOLLOW]), spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, ...FOLLOW])];
    // Following changes, the winner never ends by itself: the loser cannot have come after it.
    const loser = await Promise.race(runs.map((r) => r.exited.then(() => r)));
    const winner = runs.find((r) => r !== loser)!;
    expect((await loser.exited).code).toBe(1);
    expect(loser.output().stderr).toMatch(new RegExp(`^Error: ${db.replace(/[.]/g, '\\.')} is in use by another sync`));
    await until('the winner to mirror everything', () => journalRows(db) === 30, winner.output);
    winner.child.kill('SIGINT');
    expect((await winner.exited).code).toBe(130);
    const m = readMirror(db);
    expect(m.docs).toEqual(storeDocs(s.emulator));
    expect(m.duplicates).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['crm.db', 'crm.db-lock']);
  }, 60_000);
});

describe('Mirror.apply with versions that share a timestamp', () => {
  const referral = (eTag: string, name: string): Referral => ({ id: 'r-1', eTag, name, updatedDateTime: '2026-01-31T10:00:00.000Z' }) as Referral;
  const batch = (...changes: Referral[]) => ({ changes, state: { since: '2026-01-31T10:00:00.000Z', seen: [] }, caughtUp: true });

  it('applies an unseen eTag as the newer version, and never an eTag it recorded before', () => {
    const file = join(tmp(), 'crm.db');
    const mirror = Mirror.open(file, 'http://127.0.0.1:1/v1.0/engagements', { command: 'sync' });
    try {
      expect(mirror.apply(batch(referral('"v1"', 'first')))).toBe(1);
      expect(mirror.apply(batch(referral('"v2"', 'second')))).toBe(1);
      // v1 read late (the case of two runs on one file): recorded before, so older than v2.
      expect(mirror.apply(batch(referral('"v1"', 'first')))).toBe(0);
      expect(mirror.apply(batch(referral('"v2"', 'second'), referral('"v1"', 'first')))).toBe(0);
      // A pushed version is recorded too: sync reading it back applies nothing.
      mirror.pushed(referral('"v3"', 'pushed'));
      expect(mirror.apply(batch(referral('"v3"', 'pushed'), referral('"v2"', 'second')))).toBe(0);
    } finally {
      mirror.close();
    }
    const m = readMirror(file);
    expect(m.rows.map((r) => [r.id, r.etag])).toEqual([['r-1', '"v3"']]);
    expect(m.journal).toEqual([
      { id: 'r-1', etag: '"v1"', source: 'sync' },
      { id: 'r-1', etag: '"v2"', source: 'sync' },
      { id: 'r-1', etag: '"v3"', source: 'push' },
    ]);
  });
});
