// Reads a SQLite mirror the way the tests compare it with the emulator's store.
import Database from 'better-sqlite3';
import type { ReferralsEmulator } from '../../src/emulator/core/index.js';

/** What the mirror holds, as `{ id: doc without the computed links }`, and its journal. */
export function readMirror(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, etag, doc, edited, edit_etag, conflict FROM referrals').all() as {
      id: string;
      etag: string;
      doc: string;
      edited: string | null;
      edit_etag: string | null;
      conflict: string | null;
    }[];
    const docs = Object.fromEntries(
      rows.map((r) => {
        const { links: _links, ...doc } = JSON.parse(r.doc) as Record<string, unknown>;
        return [r.id, doc];
      }),
    );
    const journal = db.prepare('SELECT id, etag, source FROM changes ORDER BY seq').all() as { id: string; etag: string; source: string }[];
    const duplicates = db.prepare('SELECT id, etag, count(*) AS n FROM changes GROUP BY id, etag HAVING n > 1').all();
    const checkpoint = db.prepare("SELECT value FROM pcr_meta WHERE key = 'checkpoint'").get() as { value: string } | undefined;
    const newest = (db.prepare('SELECT max(updated_date_time) AS t FROM referrals').get() as { t: string | null }).t;
    return { rows, docs, journal, duplicates, checkpoint: checkpoint && (JSON.parse(checkpoint.value) as { since: string }), newest };
  } finally {
    db.close();
  }
}

export const storeDocs = (emulator: ReferralsEmulator) => Object.fromEntries(emulator.store.list().map((r) => [r.id, r]));

/** Rows in the journal so far (0 before the mirror exists or while it is being created). */
export function journalRows(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      return (db.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
