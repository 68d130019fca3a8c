// The gate is a step of `npm run build` (scripts/build.mjs), after lint and before anything is
// generated or packaged: on a throw-away copy whose acknowledgements are emptied, the build stops
// at that step and packages nothing. Without this test, dropping the step would fail no test.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildableCopy, runBuild } from '../build/helpers.js';

// What the steps up to the gate read (fetch-generator, lint, diff:gate); not a git checkout, so
// the gate compares with openapi/baseline/.
const COPY = ['scripts', 'openapi', '.spectral.yaml', 'redocly.yaml', 'apiProperties.json', 'package.json', 'openapitools.json'];

describe('npm run build', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = buildableCopy(COPY));
  });
  afterAll(() => cleanup());

  it('stops at the diff:gate step on an unacknowledged breaking change, before generating or packaging', () => {
    writeFileSync(join(dir, 'openapi/breaking-changes.yaml'), 'acknowledged: []\n');
    const r = runBuild(dir);
    expect(r.status, r.output).toBe(1);
    expect(r.output).toContain('== lint: ok');
    expect(r.output).toContain('breaking change(s) are not acknowledged.');
    expect(r.output).toContain('build: step "diff:gate" failed');
    expect(r.output).not.toContain('== generate --check');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  }, 300_000);
});
