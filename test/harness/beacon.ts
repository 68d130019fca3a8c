/**
 * The watchdog's side channel: before each test, a worker writes which test it starts to its
 * own file, synchronously, so the watchdog can name a test whose worker blocked before its
 * batched events went out (see watchdog-reporter.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The environment variable that holds the watchdog's folder (set by the reporter). */
export const WATCHDOG_DIR = 'VITEST_WATCHDOG_DIR';

export interface Beacon {
  /** Absolute path of the test file (the reporter's moduleId). */
  file: string;
  /** The test's full name, suites included, as the reporter's TestCase.fullName. */
  test: string;
  timeoutMs?: number;
  at: number;
}

export function writeBeacon(beacon: Omit<Beacon, 'at'>): void {
  const dir = process.env[WATCHDOG_DIR];
  if (!dir) return; // run without the watchdog reporter
  try {
    writeFileSync(join(dir, `${process.pid}-${threadId}.json`), JSON.stringify({ ...beacon, at: Date.now() }));
  } catch {
    // the run is ending and the folder is gone
  }
}
