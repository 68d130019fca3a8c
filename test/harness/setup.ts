/** Runs in each test file's worker before the file. */
import fc from 'fast-check';
import { beforeEach, inject } from 'vitest';
import { writeBeacon } from './beacon.js';

// Every fast-check property uses the seed global-setup.ts printed.
fc.configureGlobal({ seed: inject('fastCheckSeed') });

// Tell the watchdog which test starts, in case it blocks its worker for good.
beforeEach((context) => {
  const { task } = context;
  const names: string[] = [];
  for (let t: { name: string; suite?: unknown } | undefined = task; t; t = t.suite as typeof t) if (t.name && t !== task.file) names.unshift(t.name);
  writeBeacon({ file: task.file.filepath, test: names.join(' > '), timeoutMs: task.timeout });
});
