/** Runs in each test file's worker before the file. */
import fc from 'fast-check';
import { TestRunner, beforeAll, beforeEach, inject } from 'vitest';
import type { RunnerTestSuite } from 'vitest';
import { writeBeacon, writeHookLimit } from './beacon.js';

// Every fast-check property uses the seed global-setup.ts printed.
fc.configureGlobal({ seed: inject('fastCheckSeed') });

// Tell the watchdog which test starts, in case it blocks its worker for good.
beforeEach((context) => {
  const { task } = context;
  const names: string[] = [];
  for (let t: { name: string; suite?: unknown } | undefined = task; t; t = t.suite as typeof t) if (t.name && t !== task.file) names.unshift(t.name);
  writeBeacon({ file: task.file.filepath, test: names.join(' > '), timeoutMs: task.timeout });
});

// Tell the watchdog the longest hook timeout of this file: a hook may set its own
// (`beforeAll(install, 600_000)`), and the reporter only knows the configured hookTimeout.
// Registered here, this hook runs before the test file's own. Vitest keeps each hook's timeout
// under this symbol (@vitest/runner 4.1's beforeAll, afterAll, beforeEach, afterEach); harness.test.ts fails if that changes.
const HOOK_TIMEOUT = Symbol.for('VITEST_CLEANUP_TIMEOUT');
// eslint-disable-next-line no-empty-pattern -- Vitest passes the suite second and requires a pattern first
beforeAll(({}, file) => {
  let timeoutMs = 0;
  const walk = (suite: Readonly<RunnerTestSuite>) => {
    for (const hooks of Object.values(TestRunner.getSuiteHooks(suite) ?? {})) {
      for (const hook of hooks as Array<{ [HOOK_TIMEOUT]?: unknown }>) {
        const own = hook[HOOK_TIMEOUT];
        if (typeof own === 'number' && own > timeoutMs) timeoutMs = own;
      }
    }
    for (const task of suite.tasks) if (task.type === 'suite') walk(task);
  };
  walk(file);
  writeHookLimit({ file: file.file.filepath, timeoutMs });
});
