/**
 * The SQLite mirror behind `sync` and `push`: one row per referral (the service's JSON as it
 * was last read, plus a local edit waiting to be pushed), a journal of every version applied,
 * and the watch checkpoint. Each batch and its checkpoint are written in one transaction, so a
 * crash, Ctrl-C or a failed write leaves the mirror at its last committed batch, and a restart
 * resumes from exactly there.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { ChangeBatch, Referral, WatchState } from '../index.js';
import { MirrorError, type Edit, type Mirror as MirrorLike } from './mirror-error.js';

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

/** Created on every open (IF NOT EXISTS), so mirrors made before a trigger was added get it too. */
const TRIGGERS = `
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
  ) {}

  /**
   * Opens (or creates) the mirror of `baseUrl` in `file`. A file that is not SQLite, or a
   * database that is not this tool's (or mirrors another service), is refused unchanged.
   * `filter` (sync's --filter, '' for none) is checked the same way: the checkpoint only
   * covers the referrals of the filter it was saved under, so another filter would leave
   * the rest out for good. Push, which reads no list, passes none.
   */
  static open(file: string, baseUrl: string, options: { maxPages?: number; filter?: string } = {}): Mirror {
    const fresh = !existsSync(file) || statSync(file).size === 0;
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (err) {
      throw new MirrorError(`${file} cannot be opened as a SQLite database: ${(err as Error).message}`);
    }
    try {
      // For tests of a full disk: SQLITE_FULL once the file would grow past this many pages.
      if (options.maxPages) db.pragma(`max_page_count = ${options.maxPages}`);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
      if (fresh || !tables.length) {
        db.transaction(() => {
          db.exec(DDL);
          db.exec(TRIGGERS);
          const put = db.prepare('INSERT INTO pcr_meta (key, value) VALUES (?, ?)');
          put.run('schema', SCHEMA);
          put.run('version', VERSION);
          put.run('baseUrl', baseUrl);
          put.run('filter', options.filter ?? '');
        })();
      } else {
        const meta = tables.includes('pcr_meta')
          ? Object.fromEntries((db.prepare('SELECT key, value FROM pcr_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]))
          : {};
        if (meta.schema !== SCHEMA) {
          throw new MirrorError(`${file} is not a partner-center-referrals mirror (it holds the tables ${tables.join(', ')}); refusing to change it. Pass a new file to --db.`);
        }
        if (meta.version !== VERSION) throw new MirrorError(`${file} is a mirror of schema version ${meta.version}; this version of the tool reads version ${VERSION}.`);
        if (meta.baseUrl !== baseUrl) throw new MirrorError(`${file} mirrors ${meta.baseUrl}, not ${baseUrl}; pass that --base-url or a new file to --db.`);
        const filter = meta.filter ?? '';
        if (options.filter !== undefined && options.filter !== filter) {
          const say = (f: string) => (f ? `--filter ${JSON.stringify(f)}` : 'no --filter');
          throw new MirrorError(`${file} mirrors the referrals of ${say(filter)}, not ${say(options.filter)}; pass that filter or a new file to --db.`);
        }
        db.exec(TRIGGERS);
      }
      return new Mirror(db, file);
    } catch (err) {
      db.close();
      if (err instanceof MirrorError) throw err;
      throw new MirrorError(`${file} cannot be used as a mirror (${(err as Error).message}); it was left unchanged.`);
    }
  }

  /** The checkpoint committed with the last batch. */
  checkpoint(): WatchState | undefined {
    const row = this.db.prepare("SELECT value FROM pcr_meta WHERE key = 'checkpoint'").get() as { value: string } | undefined;
    return row && (JSON.parse(row.value) as WatchState);
  }

  /**
   * Applies a batch and its checkpoint in one transaction. A version already applied (same
   * eTag) or older than the mirrored one (by updatedDateTime) is skipped, so a change is never
   * applied twice and a newer one never overwritten. Returns how many were applied.
   */
  apply(batch: ChangeBatch): number {
    const current = this.db.prepare('SELECT etag, updated_date_time AS updated FROM referrals WHERE id = ?');
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
      this.db.prepare('INSERT INTO changes (id, etag, updated_date_time, source) VALUES (?, ?, ?, ?)').run(updated.id, updated.eTag, updated.updatedDateTime, 'push');
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

  close(): void {
    this.db.close();
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
