import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Spectral and Redocly runs spawn CLIs; the default 5 s is too tight on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
