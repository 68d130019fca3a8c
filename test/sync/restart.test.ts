// `sync` as a real process against the emulator over HTTP: 1,000 random creates and updates
// with faults on the list calls and a SIGKILL of sync inside a write transaction; after the
// restart the mirror equals the store and no version was applied twice. And Ctrl-C (SIGINT)
// stops it cleanly at a committed batch.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killTree, serve, spawnCli, stillAlive, until, useCleanup } from '../cli/helpers.js';
import { journalRows, readMirror, storeDocs } from './mirror-helpers.js';

const { tmp } = useCleanup();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seeded PRNG (mulberry32): the same changes on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FOLLOW = ['--poll-interval', '0.02', '--rate-limit', '10000/1'];
const PAUSE = join(import.meta.dirname, 'fixtures/pause-in-transaction.mjs');
/** The journal row inside whose transaction the first sync is killed: past the first batch (a page holds at most 100). */
const KILL_AT_ROW = 150;

/** The checkpoint and journal size a new connection sees (read-write: it rolls back a hot journal, as sync's open does). */
function committed(file: string): { rows: number; checkpoint: string | undefined; quickCheck: string } {
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    return {
      rows: (db.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n,
      checkpoint: (db.prepare("SELECT value FROM pcr_meta WHERE key = 'checkpoint'").get() as { value: string } | undefined)?.value,
      quickCheck: db.pragma('quick_check', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

describe('sync across a kill and a restart', () => {
  it('1,000 random creates and updates, faults, a SIGKILL inside a write transaction: the mirror ends equal to the store, nothing applied twice', async () => {
    // A 25 ms clock: many changes share a timestamp, as on a busy service.
    const s = await serve({ count: 50, now: () => new Date(Math.floor(Date.now() / 25) * 25) });
    const db = join(tmp(), 'crm.db');
    const random = prng(13);
    const template = s.emulator.store.list()[0]!;
    const ids = s.emulator.store.list().map((r) => r.id);
    const change = (i: number) => {
      if (random() < 0.3) {
        const { id: _id, eTag: _e, createdDateTime: _c, updatedDateTime: _u, ...rest } = template;
        ids.push(s.emulator.store.insert({ ...rest, id: crypto.randomUUID(), name: `Created ${i}` }).id);
      } else {
        s.emulator.store.update(ids[Math.floor(random() * ids.length)]!, (r) => void (r.name = `Update ${i}`));
      }
    };
    const faults = () => {
      s.emulator.injectFault({ kind: 429, count: 3, retryAfterSeconds: 0, match: { operation: 'GetAllReferrals' } });
      s.emulator.injectFault({ kind: 'reset', match: { operation: 'GetAllReferrals' } });
      s.emulator.injectFault({ kind: 'truncate', match: { operation: 'GetAllReferrals' } });
    };

    // The first sync stops inside the transaction that writes journal row KILL_AT_ROW, and is
    // killed there: the real sync process (and the group it leads), not a wrapper around it.
    const first = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, ...FOLLOW], { PCR_TEST_PAUSE_AT_ROW: String(KILL_AT_ROW) }, undefined, [PAUSE]);
    faults();
    for (let i = 0; i < 500; i++) {
      change(i);
      await sleep(random() < 0.1 ? 2 : 0);
    }
    await until('the first sync to stop inside a write transaction', () => first.output().stderr.includes('PAUSED'), first.output);
    const paused = /^PAUSED in a transaction: changes row (\d+) written; (\d+) committed before it, up to (\S+); file modified: (yes|no)\n$/.exec(first.output().stderr);
    expect(paused, first.output().stderr).not.toBeNull();
    const before = Number(paused![2]);
    // Past the first commit, and the open transaction has written to the file itself.
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(KILL_AT_ROW);
    expect(paused![4]).toBe('yes');
    expect(killTree(first.child)).toBe(true);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await stillAlive(first.child)).toEqual([]);
    // Left behind: a hot rollback journal. The next connection that opens the file rolls the
    // half-written batch back, and finds exactly what the last commit left, intact.
    expect(statSync(`${db}-journal`).size).toBeGreaterThan(0);
    const after = committed(db);
    expect(after).toMatchObject({ rows: before, quickCheck: 'ok' });
    expect(JSON.parse(after.checkpoint!)).toMatchObject({ since: paused![3] });
    expect(existsSync(`${db}-journal`)).toBe(false);
    const beforeRestart = journalRows(db);

    const second = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, ...FOLLOW]);
    faults();
    for (let i = 500; i < 1000; i++) {
      change(i);
      await sleep(random() < 0.1 ? 2 : 0);
    }
    const want = storeDocs(s.emulator);
    await until('the mirror to catch up', () => JSON.stringify(Object.keys(readMirror(db).docs).sort()) === JSON.stringify(Object.keys(want).sort()) && readMirror(db).rows.every((r) => want[r.id]!.eTag === r.etag));
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(130);
    expect(await stillAlive(second.child)).toEqual([]);

    const m = readMirror(db);
    expect(m.docs).toEqual(want);
    expect(m.duplicates).toEqual([]);
    // Every version the store holds now was applied once, and the kill really came mid-run.
    const applied = new Set(m.journal.map((j) => `${j.id} ${j.etag}`));
    expect(Object.values(want).filter((r) => !applied.has(`${r.id} ${r.eTag}`))).toEqual([]);
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(m.journal.length);
    expect(s.emulator.pendingFaults).toBe(0);
    expect(second.output().stderr).toMatch(/^Stopped: \d+ changes? applied; .* mirrors \d+ referrals, up to the last batch committed\. Run sync again to resume\.\n$/);
  }, 120_000);

  it('Ctrl-C (SIGINT) stops at a committed batch; the next run picks up from there', async () => {
    const s = await serve({ count: 300 });
    const db = join(tmp(), 'crm.db');
    // One call per second: the first page commits, then Ctrl-C arrives while it waits for the quota.
    const c = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, '--rate-limit', '1/1']);
    await until('the first batch', () => journalRows(db) > 0);
    c.child.kill('SIGINT');
    expect((await c.exited).code).toBe(130);
    expect(c.output()).toEqual({ stdout: '', stderr: `Stopped: 100 changes applied; ${db} mirrors 100 referrals, up to the last batch committed. Run sync again to resume.\n` });
    const partial = readMirror(db);
    expect(partial.checkpoint!.since).toBe(partial.newest);

    const rest = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, '--once', '--rate-limit', '100/1']);
    expect((await rest.exited).code).toBe(0);
    expect(rest.output().stdout).toBe(`synced: 200 changes applied; ${db} mirrors 300 referrals\n`);
    const m = readMirror(db);
    expect(m.docs).toEqual(storeDocs(s.emulator));
    expect(m.duplicates).toEqual([]);
  }, 60_000);
});
