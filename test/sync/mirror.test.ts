// `sync` and `push` on the SQLite mirror: equal to the emulator's store, foreign files refused
// unchanged, a full disk leaving the last committed batch, and 412 conflicts left for the user.
import Database from 'better-sqlite3';
import { openSync, readFileSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serve, useCleanup } from '../cli/helpers.js';
import { readMirror, storeDocs } from './mirror-helpers.js';

const { tmp } = useCleanup();

describe('sync --db', () => {
  it('mirrors every referral, then only what changed', async () => {
    const s = await serve({ count: 250 });
    const db = join(tmp(), 'crm.db');
    expect(await s.cli(['sync', '--db', db, '--once'])).toEqual({ code: 0, stdout: `synced: 250 changes applied; ${db} mirrors 250 referrals\n`, stderr: '' });
    const [a, b] = s.emulator.store.list();
    s.emulator.store.update(a!.id, (r) => void (r.name = 'Renamed on the service'));
    s.emulator.store.update(b!.id, (r) => void (r.status = 'Active'));
    expect((await s.cli(['sync', '--db', db, '--once'])).stdout).toBe(`synced: 2 changes applied; ${db} mirrors 250 referrals\n`);
    const m = readMirror(db);
    expect(m.docs).toEqual(storeDocs(s.emulator));
    expect(m.journal).toHaveLength(252);
    expect(m.duplicates).toEqual([]);
    expect(m.checkpoint!.since).toBe(m.newest);
  });

  it('refuses a database that is not its own, a file that is not SQLite, and a mirror of another service, changing none', async () => {
    const s = await serve({ count: 5 });
    const dir = tmp();
    const foreign = join(dir, 'crm.db');
    const other = new Database(foreign);
    other.exec("CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT); INSERT INTO customers VALUES ('1', 'Contoso');");
    other.close();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database, just notes\n'.repeat(200));
    const before = [readFileSync(foreign), readFileSync(text)];

    const r1 = await s.cli(['sync', '--db', foreign, '--once']);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toBe(`Error: ${foreign} is not a partner-center-referrals mirror (it holds the tables customers); refusing to change it. Pass a new file to --db.\n`);
    const r2 = await s.cli(['push', '--db', text]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/^Error: .*notes\.txt cannot be used as a mirror \(file is not a database\); it was left unchanged\.\n$/);
    expect([readFileSync(foreign), readFileSync(text)]).toEqual(before);

    const mirror = join(dir, 'mirror.db');
    expect((await s.cli(['sync', '--db', mirror, '--once'])).code).toBe(0);
    const r3 = await s.cli(['sync', '--db', mirror, '--once', '--base-url', 'http://127.0.0.1:1/v1.0/engagements']);
    expect(r3.stderr).toContain(`mirrors ${s.server.apiUrl}, not http://127.0.0.1:1/v1.0/engagements`);
  });

  it('sync --filter mirrors only the matching referrals, and a mirror made under one filter refuses another, unchanged', async () => {
    const s = await serve({ count: 20 });
    const db = join(tmp(), 'crm.db');
    const filter = "status eq 'New'";
    const isNew = s.emulator.store.list().filter((r) => r.status === 'New');
    expect(isNew.length).toBeGreaterThan(0);
    expect(isNew.length).toBeLessThan(20);
    expect((await s.cli(['sync', '--db', db, '--once', '--filter', filter])).stdout).toBe(`synced: ${isNew.length} changes applied; ${db} mirrors ${isNew.length} referrals\n`);
    expect(Object.keys(readMirror(db).docs).sort()).toEqual(isNew.map((r) => r.id).sort());
    const before = readFileSync(db);

    // Without the filter, the saved checkpoint would skip every referral the filter left out.
    const all = await s.cli(['sync', '--db', db, '--once']);
    expect(all).toMatchObject({ code: 1, stdout: '' });
    expect(all.stderr).toBe(`Error: ${db} mirrors the referrals of --filter "${filter}", not no --filter; pass that filter or a new file to --db.\n`);
    const other = await s.cli(['sync', '--db', db, '--once', '--filter', "status eq 'Active'"]);
    expect(other.stderr).toContain(`not --filter "status eq 'Active'"`);
    expect(readFileSync(db)).toEqual(before);
    // The same filter resumes, and push (which reads no list) opens it too.
    expect((await s.cli(['sync', '--db', db, '--once', '--filter', filter])).stdout).toBe(`synced: 0 changes applied; ${db} mirrors ${isNew.length} referrals\n`);
    expect((await s.cli(['push', '--db', db])).code).toBe(0);

    const unfiltered = join(tmp(), 'all.db');
    expect((await s.cli(['sync', '--db', unfiltered, '--once'])).code).toBe(0);
    expect((await s.cli(['sync', '--db', unfiltered, '--once', '--filter', filter])).stderr).toContain(`mirrors the referrals of no --filter, not --filter "${filter}"`);
  });

  it('refuses a damaged mirror when it opens it (PRAGMA quick_check): exit 1, the file unchanged', async () => {
    const s = await serve({ count: 300 });
    const db = join(tmp(), 'crm.db');
    expect((await s.cli(['sync', '--db', db, '--once'])).code).toBe(0);
    // 8 KiB of garbage (a fixed byte pattern) in the middle of the file.
    const fd = openSync(db, 'r+');
    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 73 + 41) % 251));
    writeSync(fd, garbage, 0, garbage.length, Math.floor(statSync(db).size / 2));
    closeSync(fd);
    const damaged = readFileSync(db);
    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).not.toBe('ok');
    check.close();
    s.emulator.store.update(s.emulator.store.list()[0]!.id, (r) => void (r.name = 'Changed on the service'));

    for (const args of [['sync', '--db', db, '--once'], ['push', '--db', db]]) {
      const r = await s.cli(args);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toMatch(
        new RegExp(`^Error: ${db.replace(/[.]/g, '\\.')} is damaged: SQLite's quick_check reports ".+"\\. It was left unchanged\\. Restore it from a backup, or sync into a new file with --db \\(\`sqlite3 ${db.replace(/[.]/g, '\\.')} \\.recover\` may save its unpushed edits\\)\\.\\n$`),
      );
    }
    expect(readFileSync(db).equals(damaged)).toBe(true);
  });

  it('a full disk stops it at the last committed batch; the next run completes without repeating a change', async () => {
    const s = await serve({ count: 500 });
    const db = join(tmp(), 'crm.db');
    // SQLite answers SQLITE_FULL once the file would pass this many 4 KiB pages: room for a few batches only.
    const full = await s.cli(['sync', '--db', db, '--once'], { env: { PCR_SQLITE_MAX_PAGES: '260' } });
    expect(full.code).toBe(1);
    expect(full.stderr).toBe(`Error: Writing to ${db} failed (database or disk is full); it holds everything committed before, and the next run resumes from there.\n`);
    const partial = readMirror(db);
    expect(partial.rows.length).toBeGreaterThan(0);
    // Exactly the referrals up to the committed checkpoint (the list is read oldest first).
    const upTo = s.emulator.store.list().filter((r) => String(r.updatedDateTime) <= partial.checkpoint!.since);
    expect(Object.keys(partial.docs).sort()).toEqual(upTo.map((r) => r.id).sort());
    expect(partial.rows.length).toBeLessThan(500);
    expect(partial.journal).toHaveLength(partial.rows.length);
    expect(partial.checkpoint!.since).toBe(partial.newest);

    expect((await s.cli(['sync', '--db', db, '--once'])).code).toBe(0);
    const m = readMirror(db);
    expect(m.docs).toEqual(storeDocs(s.emulator));
    expect(m.journal).toHaveLength(500);
    expect(m.duplicates).toEqual([]);
  });
});

describe('push --db', () => {
  it('sends edits as JSON Patch with If-Match, and leaves a 412 conflict for the user instead of overwriting', async () => {
    const s = await serve({ count: 20 });
    const db = join(tmp(), 'crm.db');
    await s.cli(['sync', '--db', db, '--once']);
    const [mine, theirs] = s.emulator.store.list().filter((r) => r.status === 'New');
    const edit = new Database(db);
    const setNotes = edit.prepare("UPDATE referrals SET edited = json_set(doc, '$.details.notes', ?) WHERE id = ?");
    setNotes.run('Called the customer', mine!.id);
    setNotes.run('Our notes', theirs!.id);
    // Someone changes `theirs` on the service after our edit was made.
    s.emulator.store.update(theirs!.id, (r) => void ((r.details as { notes: string }).notes = 'Their newer notes'));

    const r = await s.cli(['push', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`pushed ${mine!.id} (/details/notes)\n`);
    expect(r.stdout).toContain(`conflict ${theirs!.id}: The referral changed on the service since the edit was made`);
    expect(r.stdout).toMatch(/push: 1 pushed, 1 conflict, 0 unchanged\n$/);
    const patches = s.emulator.requests.filter((q) => q.method === 'PATCH');
    expect(patches.map((q) => [q.headers['if-match'], JSON.parse(q.body!)])).toEqual([
      [mine!.eTag, [{ op: 'replace', path: '/details/notes', value: 'Called the customer' }]],
      [theirs!.eTag, [{ op: 'replace', path: '/details/notes', value: 'Our notes' }]],
    ]);
    expect(s.emulator.store.get(mine!.id)!.details).toMatchObject({ notes: 'Called the customer' });
    expect(s.emulator.store.get(theirs!.id)!.details).toMatchObject({ notes: 'Their newer notes' });

    let m = readMirror(db);
    const row = (id: string) => m.rows.find((x) => x.id === id)!;
    expect(row(mine!.id)).toMatchObject({ edited: null, edit_etag: null, conflict: null, etag: s.emulator.store.get(mine!.id)!.eTag });
    expect(row(theirs!.id)).toMatchObject({ edit_etag: theirs!.eTag });
    expect(row(theirs!.id).conflict).toContain('Run sync');

    // Sync brings their version in without touching our edit, which still cannot overwrite it.
    await s.cli(['sync', '--db', db, '--once']);
    expect((await s.cli(['push', '--db', db])).stdout).toContain('push: 0 pushed, 1 conflict');
    // Resolved by the user as the conflict message says: setting edited again (after sync) makes
    // the edit start from the current version, and clears the conflict.
    edit.prepare("UPDATE referrals SET edited = json_set(doc, '$.details.notes', 'Both notes') WHERE id = ?").run(theirs!.id);
    edit.close();
    m = readMirror(db);
    expect(row(theirs!.id)).toMatchObject({ edit_etag: s.emulator.store.get(theirs!.id)!.eTag, conflict: null });
    expect(await s.cli(['push', '--db', db])).toMatchObject({ code: 0, stdout: `pushed ${theirs!.id} (/details/notes)\npush: 1 pushed, 0 conflicts, 0 unchanged\n` });
    m = readMirror(db);
    expect(m.docs).toEqual(storeDocs(s.emulator));
    expect(m.duplicates).toEqual([]);
    // The pushed versions come back through sync without being applied again.
    await s.cli(['sync', '--db', db, '--once']);
    expect(readMirror(db).journal.filter((j) => j.source === 'push')).toHaveLength(2);
    expect(readMirror(db).duplicates).toEqual([]);
  });

  it('counts an edit equal to doc as unchanged, sends nothing and clears the edit', async () => {
    const s = await serve({ count: 3 });
    const db = join(tmp(), 'crm.db');
    await s.cli(['sync', '--db', db, '--once']);
    const [first] = s.emulator.store.list();
    const edit = new Database(db);
    // Only a read-only member differs: push drops those, so nothing is left to send.
    edit.prepare("UPDATE referrals SET edited = json_set(doc, '$.updatedDateTime', '2000-01-01T00:00:00Z') WHERE id = ?").run(first!.id);
    edit.close();
    expect(await s.cli(['push', '--db', db])).toEqual({ code: 0, stdout: 'push: 0 pushed, 0 conflicts, 1 unchanged\n', stderr: '' });
    expect(s.emulator.requests.filter((q) => q.method === 'PATCH')).toEqual([]);
    expect(readMirror(db).rows.find((x) => x.id === first!.id)).toMatchObject({ edited: null, edit_etag: null, conflict: null, etag: first!.eTag });
    expect((await s.cli(['push', '--db', db])).stdout).toBe('push: 0 pushed, 0 conflicts, 0 unchanged\n');
  });
});
