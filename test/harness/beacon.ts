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

/** Where a worker states the longest hook timeout of the file it runs (the reporter cannot see hook timeouts). */
export const HOOK_LIMIT_SUFFIX = '.hooks.json';

export interface HookLimit {
  /** Absolute path of the test file. */
  file: string;
  /** The longest timeout of any hook in the file, its own `beforeAll(fn, ms)` ones included. */
  timeoutMs: number;
}

function write(name: string, content: object): void {
  const dir = process.env[WATCHDOG_DIR];
  if (!dir) return; // run without the watchdog reporter
  try {
    writeFileSync(join(dir, `${process.pid}-${threadId}${name}`), JSON.stringify(content));
  } catch {
    // the run is ending and the folder is gone
  }
}

export function writeBeacon(beacon: Omit<Beacon, 'at'>): void {
  write('.json', { ...beacon, at: Date.now() });
}

export function writeHookLimit(limit: HookLimit): void {
  write(HOOK_LIMIT_SUFFIX, limit);
}
