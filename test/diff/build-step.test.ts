// The gate is a step of `npm run build` (scripts/build.mjs), after lint and before anything is
// generated or packaged: on a throw-away copy whose acknowledgements are emptied, the build stops
// at that step and packages nothing. Without this test, dropping the step would fail no test.
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCopy } from '../build/helpers.js';
import { ROOT } from './helpers.js';

// What the steps up to the gate read (fetch-generator, lint, diff:gate); not a git checkout, so
// the gate compares with openapi/baseline/.
const COPY = ['scripts', 'openapi', '.spectral.yaml', 'redocly.yaml', 'apiProperties.json', 'package.json', 'openapitools.json'];

describe('npm run build', () => {
  let dir: string;
  let cleanup: () => void;

  beforeAll(() => {
    ({ dir, cleanup } = tempCopy(COPY));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // The generator JAR the first step fetches, so the copy needs no Maven.
    symlinkSync(join(ROOT, '.cache'), join(dir, '.cache'), 'dir');
  });
  afterAll(() => cleanup());

  it('stops at the diff:gate step on an unacknowledged breaking change, before generating or packaging', () => {
    writeFileSync(join(dir, 'openapi/breaking-changes.yaml'), 'acknowledged: []\n');
    const r = spawnSync(process.execPath, [join(dir, 'scripts/build.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 240_000,
    });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(1);
    expect(output).toContain('== lint: ok');
    expect(output).toContain('breaking change(s) are not acknowledged.');
    expect(output).toContain('build: step "diff:gate" failed');
    expect(output).not.toContain('== generate --check');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  }, 300_000);
});
