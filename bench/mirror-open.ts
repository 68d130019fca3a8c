/**
 * 7. Mirror open: what the damage check on opening a mirror (PRAGMA quick_check, in
 * src/cli/mirror.ts) costs on a mirror of 20,000 referrals, against the whole open and against
 * the fuller integrity_check, which the mirror does not run.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Mirror } from '../src/cli/mirror.js';
import { ReferralsEmulator } from '../src/emulator/core/index.js';
import type { Referral } from '../src/index.js';
import type { Bench } from './lib/bench.js';
import { interleaved, summarize } from './lib/stats.js';

const COUNT = 20_000;
const BASE_URL = 'http://127.0.0.1:4010/v1.0/engagements';

/** Milliseconds `fn` takes. */
function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** A pragma on a fresh connection, so SQLite's own page cache is cold (the OS's is warm). */
function pragma(file: string, name: string): number {
  const db = new Database(file, { readonly: true });
  try {
    let result: unknown;
    const ms = time(() => (result = db.pragma(name, { simple: true })));
    if (result !== 'ok') throw new Error(`${name} of the benchmark's mirror says ${String(result)}`);
    return ms;
  } finally {
    db.close();
  }
}

export const run: Bench = async (ctx) => {
  const runs = ctx.quick ? 3 : 9;
  const file = join(ctx.tmpDir, 'crm.db');
  ctx.log(`building a mirror of ${COUNT} seeded referrals`);
  const referrals = new ReferralsEmulator({ count: COUNT, seed: 1 }).store.list().sort((a, b) => String(a.updatedDateTime).localeCompare(String(b.updatedDateTime)));
  const build = Mirror.open(file, BASE_URL, { command: 'sync' });
  try {
    // As sync writes it: a transaction per page of 100, each with its checkpoint.
    for (let i = 0; i < referrals.length; i += 100) {
      const page = referrals.slice(i, i + 100);
      build.apply({ changes: page as unknown as Referral[], state: { since: String(page.at(-1)!.updatedDateTime), seen: [] }, caughtUp: i + 100 >= referrals.length });
    }
    if (build.count() !== COUNT) throw new Error(`the mirror holds ${build.count()} referrals, not ${COUNT}`);
  } finally {
    build.close();
  }
  const bytes = statSync(file).size;

  ctx.log(`${runs} runs of quick_check, integrity_check and Mirror.open (push), interleaved`);
  const t = await interleaved(runs, {
    quick: async () => pragma(file, 'quick_check'),
    integrity: async () => pragma(file, 'integrity_check'),
    open: async () => time(() => Mirror.open(file, BASE_URL, { command: 'push' }).close()),
  });
  const load = loadavg()[0]!;
  return {
    setup: [
      `A mirror of ${COUNT.toLocaleString('en-US')} referrals from the emulator's seed generator (seed 1), written as sync writes it (Mirror.apply, one transaction per page of 100 with its checkpoint): ${(bytes / 1e6).toFixed(1)} MB.`,
      `quick_check and integrity_check each on a fresh read-only connection (SQLite's page cache cold; the operating system's file cache warm, as on a mirror synced a moment ago). Mirror.open is what push does on opening: the path checks, quick_check, the schema checks, the lock and the note of who runs, then close. ${runs} runs, the three interleaved, after a warm-up run.`,
      'Measured alone with `npm run bench -- --only mirror-open --merge`.',
    ],
    rows: [
      { label: `Mirror of ${COUNT.toLocaleString('en-US')} referrals, file size`, unit: 'B', stat: summarize([bytes]) },
      { label: 'PRAGMA quick_check (what the open runs)', unit: 'ms', stat: summarize(t.quick) },
      { label: 'PRAGMA integrity_check (for comparison; not run)', unit: 'ms', stat: summarize(t.integrity) },
      { label: 'Mirror.open + close, with the check', unit: 'ms', stat: summarize(t.open) },
      { label: 'quick_check throughput', unit: 'MB/s', stat: summarize(t.quick.map((ms) => bytes / 1e6 / (ms / 1000))) },
    ],
    notes: [
      `The 1-minute load average was ${load.toFixed(1)} at the end of the runs, on ${cpus().length} cores shared with other work: the spread of the figures comes from there.`,
      "quick_check reads every page once and checks each b-tree page and the free list; integrity_check also checks that every index matches its table, which costs more. Both report the damage of the test's 8 KiB of garbage in the middle of a mirror (test/sync/mirror.test.ts).",
    ],
  };
};
