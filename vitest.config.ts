import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Spectral and Redocly runs spawn CLIs; the default 5 s is too tight on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Prints the fast-check seed once (FC_SEED picks another) and gives it to every file.
    globalSetup: ['test/harness/global-setup.ts'],
    setupFiles: ['test/harness/setup.ts'],
    // The watchdog fails the run, naming the file and test, when a worker is blocked past the
    // time limits, which Vitest's own timers cannot enforce on a synchronous loop.
    reporters: ['default', './test/harness/watchdog-reporter.ts'],
  },
});
