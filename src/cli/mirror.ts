/**
 * The SQLite mirror behind `sync` and `push`: one row per referral (the service's JSON as it
 * was last read, plus a local edit waiting to be pushed), a journal of every version applied,
 * and the watch checkpoint. Each batch and its checkpoint are written in one transaction, so a
 * crash, Ctrl-C or a failed write leaves the mirror at its last committed batch, and a restart
 * resumes from exactly there (test/sync/restart.test.ts kills sync inside such a transaction).
 *
 * One `sync` or `push` at a time: each run holds a lock on `<file>-lock` (see MirrorLock), and
 * a second one is refused while it does. Other programs may read the mirror, and write
 * `edited`, at any time.
 */
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { existsSync, rmSync, truncateSync } from 'node:fs';
import type { ChangeBatch, Referral, WatchState } from '../index.js';
import { MirrorError, type Edit, type Mirror as MirrorLike } from './mirror-error.js';
import { statIfAny } from './out-file.js';

/** Marks a database as ours; anything else is refused rather than changed. */
const SCHEMA = 'partner-center-referrals-mirror';
const VERSION = '1';

const DDL = `
CREATE TABLE pcr_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- doc: the referral as last read from the service. edited: the whole referral as you want it
-- (set it, e.g. with json_set(doc, ...)); push sends the difference with If-Match edit_etag.
CREATE TABLE referrals (
  id TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  updated_date_time TEXT NOT NULL,
  name TEXT,
  status TEXT,
  substatus TEXT,
  doc TEXT NOT NULL,
  edited TEXT,
  edit_etag TEXT,
  conflict TEXT
);
-- One row per version applied to the mirror: by sync (read from the service) or push (sent).
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  etag TEXT NOT NULL,
  updated_date_time TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('sync', 'push'))
);
`;

/** Created on every open (IF NOT EXISTS), so mirrors made before a trigger or index was added get it too. */
const TRIGGERS = `
-- apply and pushed look a version up by (id, eTag) before recording it.
CREATE INDEX IF NOT EXISTS changes_by_version ON changes (id, etag);
-- An edit is made on the version in doc when it starts: remember that version's eTag, so push
-- cannot overwrite a change that sync brought in meanwhile.
CREATE TRIGGER IF NOT EXISTS referrals_edit_etag AFTER UPDATE OF edited ON referrals
WHEN NEW.edited IS NOT NULL AND NEW.edit_etag IS NULL
BEGIN UPDATE referrals SET edit_etag = NEW.etag WHERE id = NEW.id; END;
-- Setting edited again after a conflict resolves it: the user has compared with the version in
-- doc (brought in by sync), so the edit now starts from that one.
CREATE TRIGGER IF NOT EXISTS referrals_edit_resolves_conflict AFTER UPDATE OF edited ON referrals
WHEN NEW.edited IS NOT NULL AND OLD.conflict IS NOT NULL
BEGIN UPDATE referrals SET edit_etag = NEW.etag, conflict = NULL WHERE id = NEW.id; END;
`;

/** The mirror file: see the DDL above. */
export class Mirror implements MirrorLike {
  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly lock: MirrorLock,
    /** Set when this run created the mirror: in a new file, or in an empty one it found. */
    private readonly created: 'new' | 'empty' | undefined,
  ) {}

  /**
   * Opens the mirror of `baseUrl` in `file` for `command`. Only sync creates one, and only where
   * no file exists yet (or an empty one). Everything that could refuse the file is checked before
   * anything is written to it, so a refused file is left unchanged:
   * - a folder, a missing folder, or (for push) no mirror at all;
   * - a file that is not SQLite, a damaged one (PRAGMA quick_check), a database that is not this
   *   tool's, or a mirror of another service;
   * - `filter` (sync's --filter, '' for none) other than the mirror's: the checkpoint only covers
   *   the referrals of the filter it was saved under, so another filter would leave the rest out
   *   for good. Push, which reads no list, passes none;
   * - a mirror another sync or push is using.
   */
  static open(file: string, baseUrl: string, options: { command: 'sync' | 'push'; maxPages?: number; filter?: string }): Mirror {
    const existing = statIfAny(file);
    if (existing?.isDirectory()) throw new MirrorError(`${file} is a folder; --db takes the path of the mirror file, such as ${join(file, 'crm.db')}.`);
    const noMirror = (what: string) =>
      new MirrorError(`${file} ${what}, so there is nothing to push: push sends the edits made in a mirror that sync created. Check the path, or create the mirror with \`partner-center-referrals sync --db ${quote(file)} --once\`.`);
    if (!existing && options.command === 'push') throw noMirror('does not exist');
    if (!existing && !statIfAny(dirname(file))?.isDirectory()) throw new MirrorError(`Cannot create ${file}: ${dirname(file)} is not an existing folder.`);
    let db = existing?.size ? Mirror.connect(file, options.maxPages) : undefined;
    let lock: MirrorLock | undefined;
    let made = false;
    try {
      let blank = !db || Mirror.check(db, file, baseUrl, options.filter) === 'blank';
      if (blank && options.command === 'push') throw noMirror(existing?.size ? 'holds no tables' : 'is empty');
      lock = MirrorLock.acquire(file, () => runner(file, db));
      if (!db) {
        made = !existsSync(file);
        db = Mirror.connect(file, options.maxPages);
      }
      // Checked again under the lock: a run that held it since may have created the mirror.
      if (blank) blank = Mirror.check(db, file, baseUrl, options.filter) === 'blank';
      if (blank) {
        const created = db;
        try {
          created.transaction(() => {
            created.exec(DDL);
            created.exec(TRIGGERS);
            const put = created.prepare('INSERT INTO pcr_meta (key, value) VALUES (?, ?)');
            put.run('schema', SCHEMA);
            put.run('version', VERSION);
            put.run('baseUrl', baseUrl);
            put.run('filter', options.filter ?? '');
          })();
        } catch (err) {
          throw new MirrorError(`Cannot create the mirror ${file}: ${(err as Error).message}`);
        }
      }
      return new Mirror(db, file, lock, blank ? (made ? 'new' : 'empty') : undefined).started(options.command);
    } catch (err) {
      db?.close();
      // A file this run created and could not make a mirror of goes again.
      if (made) rmSync(file, { force: true });
      lock?.release(true);
      if (err instanceof MirrorError) throw err;
      throw new MirrorError(`${file} cannot be used as a mirror (${(err as Error).message}); it was left unchanged.`);
    }
  }

  private static connect(file: string, maxPages: number | undefined): Database.Database {
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (err) {
      throw new MirrorError(`${file} cannot be opened as a SQLite database: ${(err as Error).message}`);
    }
    // For tests of a full disk: SQLITE_FULL once the file would grow past this many pages.
    if (maxPages) db.pragma(`max_page_count = ${maxPages}`);
    return db;
  }

  /**
   * Refuses, without writing anything, a file that is damaged or not this service's mirror;
   * 'blank' for a database without tables, where sync may create one.
   */
  private static check(db: Database.Database, file: string, baseUrl: string, filter: string | undefined): 'blank' | 'mirror' {
    let problems: string[];
    try {
      // quick_check reads every page once: O(file size), unlike integrity_check, which also
      // checks each index against its table. Cost on 20,000 referrals: BENCHMARKS.md, benchmark 7.
      problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CORRUPT') throw err;
      problems = [(err as Error).message];
    }
    if (problems.length) {
      throw new MirrorError(
        `${file} is damaged: SQLite's quick_check reports ${problems.map((p) => JSON.stringify(p)).join(', ')}. It was left unchanged. ` +
          `Restore it from a backup, or sync into a new file with --db (\`sqlite3 ${quote(file)} .recover\` may save its unpushed edits).`,
      );
    }
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    if (!tables.length) return 'blank';
    const meta = tables.includes('pcr_meta') ? Object.fromEntries((db.prepare('SELECT key, value FROM pcr_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value])) : {};
    if (meta.schema !== SCHEMA) {
      throw new MirrorError(`${file} is not a partner-center-referrals mirror (it holds the tables ${tables.join(', ')}); refusing to change it. Pass a new file to --db.`);
    }
    if (meta.version !== VERSION) throw new MirrorError(`${file} is a mirror of schema version ${meta.version}; this version of the tool reads version ${VERSION}.`);
    if (meta.baseUrl !== baseUrl) throw new MirrorError(`${file} mirrors ${meta.baseUrl}, not ${baseUrl}; pass that --base-url or a new file to --db.`);
    const mirrored = meta.filter ?? '';
    if (filter !== undefined && filter !== mirrored) {
      const say = (f: string) => (f ? `--filter ${JSON.stringify(f)}` : 'no --filter');
      throw new MirrorError(`${file} mirrors the referrals of ${say(mirrored)}, not ${say(filter)}; pass that filter or a new file to --db.`);
    }
    return 'mirror';
  }

  /** Brings an older mirror up to date (triggers, index) and says who is using it. */
  private started(command: string): this {
    this.write(() => {
      this.db.exec(TRIGGERS);
      this.db
        .prepare("INSERT INTO pcr_meta (key, value) VALUES ('runner', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run(JSON.stringify({ command, pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    });
    return this;
  }

  /**
   * Whether the mirror was created by this run and has committed nothing since: a first sync
   * that failed, which `discard` removes, so that it leaves no file behind.
   */
  get empty(): boolean {
    return !!this.created && !this.db.prepare("SELECT 1 FROM pcr_meta WHERE key = 'checkpoint'").get() && this.count() === 0;
  }

  /** Closes and removes a mirror this run created (an empty file it found goes back to empty). */
  discard(): void {
    const created = this.created;
    this.db.close();
    for (const companion of ['-journal', '-wal', '-shm']) rmSync(this.file + companion, { force: true });
    if (created === 'new') rmSync(this.file, { force: true });
    else if (created === 'empty') truncateSync(this.file, 0);
    this.lock.release(true);
  }

  /** The checkpoint committed with the last batch. */
  checkpoint(): WatchState | undefined {
    const row = this.db.prepare("SELECT value FROM pcr_meta WHERE key = 'checkpoint'").get() as { value: string } | undefined;
    return row && (JSON.parse(row.value) as WatchState);
  }

  /**
   * Applies a batch and its checkpoint in one transaction; returns how many versions it applied.
   * A version is skipped when
   * - its (id, eTag) is in `changes`: it was applied (or pushed) before, so it is the mirrored
   *   version or one that a newer one replaced since; recording it again would count it twice,
   *   and applying it would bring the older one back;
   * - its updatedDateTime is older than the mirrored version's.
   * That leaves a version with the mirrored one's timestamp and an eTag never seen. eTags are
   * opaque, so the timestamp cannot order the two; what does is that it was read later: the
   * service lists only each referral's current version, one run at a time holds the mirror
   * (the lock), and within a run the watch delivers what it reads in order. So it is newer, and
   * applied.
   */
  apply(batch: ChangeBatch): number {
    const current = this.db.prepare('SELECT etag, updated_date_time AS updated FROM referrals WHERE id = ?');
    const recorded = this.db.prepare('SELECT 1 FROM changes WHERE id = ? AND etag = ?').pluck();
    const upsert = this.db.prepare(
      `INSERT INTO referrals (id, etag, updated_date_time, name, status, substatus, doc) VALUES (@id, @etag, @updated, @name, @status, @substatus, @doc)
       ON CONFLICT (id) DO UPDATE SET etag = excluded.etag, updated_date_time = excluded.updated_date_time, name = excluded.name,
         status = excluded.status, substatus = excluded.substatus, doc = excluded.doc`,
    );
    const journal = this.db.prepare('INSERT INTO changes (id, etag, updated_date_time, source) VALUES (?, ?, ?, ?)');
    const save = this.db.prepare("INSERT INTO pcr_meta (key, value) VALUES ('checkpoint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    return this.write(() => {
      let applied = 0;
      for (const r of batch.changes) {
        if (recorded.get(r.id, r.eTag)) continue;
        const row = current.get(r.id) as { etag: string; updated: string } | undefined;
        if (row && (row.etag === r.eTag || Date.parse(row.updated) > Date.parse(r.updatedDateTime!))) continue;
        upsert.run(this.params(r));
        journal.run(r.id, r.eTag, r.updatedDateTime, 'sync');
        applied++;
      }
      save.run(JSON.stringify(batch.state));
      return applied;
    });
  }

  /** Referrals with a local edit waiting to be pushed. */
  edits(): Edit[] {
    const rows = this.db.prepare('SELECT id, doc, edited, edit_etag FROM referrals WHERE edited IS NOT NULL ORDER BY id').all() as {
      id: string;
      doc: string;
      edited: string;
      edit_etag: string | null;
    }[];
    return rows.map((r) => {
      let edited: Referral;
      try {
        edited = JSON.parse(r.edited) as Referral;
      } catch (err) {
        throw new MirrorError(`The edited column of referral ${r.id} is not JSON: ${(err as Error).message}`);
      }
      const doc = JSON.parse(r.doc) as Referral;
      return { id: r.id, doc, edited, editETag: r.edit_etag ?? doc.eTag! };
    });
  }

  /** Records a pushed edit: the service's new version replaces doc, and the edit is done. */
  pushed(updated: Referral): void {
    this.write(() => {
      this.db
        .prepare(
          `UPDATE referrals SET etag = @etag, updated_date_time = @updated, name = @name, status = @status, substatus = @substatus, doc = @doc,
           edited = NULL, edit_etag = NULL, conflict = NULL WHERE id = @id`,
        )
        .run(this.params(updated));
      this.db
        .prepare("INSERT INTO changes (id, etag, updated_date_time, source) SELECT @id, @etag, @updated, 'push' WHERE NOT EXISTS (SELECT 1 FROM changes WHERE id = @id AND etag = @etag)")
        .run({ id: updated.id, etag: updated.eTag, updated: updated.updatedDateTime });
    });
  }

  /** Leaves an edit in place with the reason it was not pushed. */
  conflict(id: string, reason: string): void {
    this.db.prepare('UPDATE referrals SET conflict = ? WHERE id = ?').run(reason, id);
  }

  /** Drops an edit that changes nothing. */
  unchanged(id: string): void {
    this.db.prepare('UPDATE referrals SET edited = NULL, edit_etag = NULL, conflict = NULL WHERE id = ?').run(id);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM referrals').get() as { n: number }).n;
  }

  /** Closes the mirror and lets the next run in. */
  close(): void {
    try {
      this.db.prepare("DELETE FROM pcr_meta WHERE key = 'runner'").run();
    } catch {
      // Only the note of who runs is lost (a full disk, a read-only file); the lock goes anyway.
    }
    this.db.close();
    this.lock.release();
  }

  /** Runs `fn` in one transaction; a failed write (disk full, read-only) rolls it back whole. */
  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      throw new MirrorError(`Writing to ${this.file} failed (${(err as Error).message}); it holds everything committed before, and the next run resumes from there.`);
    }
  }

  private params(r: Referral) {
    return { id: r.id, etag: r.eTag, updated: r.updatedDateTime, name: r.name ?? null, status: r.status ?? null, substatus: r.substatus ?? null, doc: JSON.stringify(r) };
  }
}

const quote = (path: string) => (/^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`);

/** Who holds the mirror, as `started` recorded it; undefined when unknown. */
function runner(file: string, open: Database.Database | undefined): string | undefined {
  let db = open;
  try {
    db ??= new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare("SELECT value FROM pcr_meta WHERE key = 'runner'").pluck().get() as string | undefined;
    if (!row) return undefined;
    const r = JSON.parse(row) as { command: string; pid: number; host: string; since: string };
    return `${r.command} (process ${r.pid}${r.host === hostname() ? '' : ` on ${r.host}`}, since ${r.since})`;
  } catch {
    return undefined; // not created yet, or mid-creation
  } finally {
    if (db !== open) db?.close();
  }
}

/**
 * One run at a time per mirror: a run holds a write lock on the SQLite file `<mirror>-lock`
 * (an open BEGIN IMMEDIATE that never writes, so the file stays empty) until it closes the
 * mirror. The operating system drops the lock when the process ends in any way, kill -9
 * included, so a crashed run never leaves the mirror locked. The mirror itself is not locked:
 * other programs keep reading it and editing `edited` while sync runs.
 */
class MirrorLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    /** Whether this run created the lock file (it is kept, empty, for the runs to come). */
    private readonly created: boolean,
  ) {}

  /** Takes the lock, or refuses at once (waiting for a sync that follows changes could take forever). */
  static acquire(file: string, holder: () => string | undefined): MirrorLock {
    const path = `${file}-lock`;
    const created = !existsSync(path);
    const db = new Database(path, { timeout: 0 });
    try {
      db.exec('BEGIN IMMEDIATE');
      return new MirrorLock(db, path, created);
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') {
        if (created) rmSync(path, { force: true });
        throw err;
      }
      const who = holder();
      throw new MirrorError(
        `${file} is in use by another ${who ?? 'sync or push'}; one run at a time keeps the mirror exact. Wait for it to finish, or stop it (Ctrl-C), then run this again.`,
      );
    }
  }

  /** Lets the next run in; `undo` also deletes the lock file if this run created it (a run that leaves nothing behind). */
  release(undo = false): void {
    if (!this.db.open) return;
    if (undo && this.created) rmSync(this.path, { force: true });
    this.db.close();
  }
}
