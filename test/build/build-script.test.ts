// `npm run build` is the user's one command: it must stop at the first failing step, name that
// step and the rule, and leave no package behind. Run on a throw-away copy of the checkout whose
// spec breaks one certification rule, so the real tree is never touched.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildableCopy, runBuild } from './helpers.js';

const COPY = [
  'scripts', 'openapi', 'generated', 'assets', 'src',
  '.spectral.yaml', 'redocly.yaml', 'apiProperties.json', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'openapitools.json',
];

describe('scripts/build.mjs', () => {
  let dir: string;
  let cleanup: () => void;

  beforeAll(() => {
    ({ dir, cleanup } = buildableCopy(COPY));
  });
  afterAll(() => cleanup());

  it('stops at the lint step with the rule name and writes no package', () => {
    const spec = join(dir, 'openapi/referrals.yaml');
    const text = readFileSync(spec, 'utf8');
    // A duplicate operationId is an error (the build fails on errors only, not on warnings).
    const broken = text.replace('operationId: CreateReferral', 'operationId: GetAllReferrals');
    expect(broken).not.toBe(text);
    writeFileSync(spec, broken);

    const r = runBuild(dir);
    const output = r.output;
    expect(r.status).toBe(1);
    expect(output).toContain('build: step "lint" failed');
    expect(output).toMatch(/OperationIdNotUnique/);
    expect(output).toContain('operationId');
    // Later steps never ran.
    expect(output).not.toContain('== package');
    expect(existsSync(join(dir, 'dist/partner-center-referrals-connector.zip'))).toBe(false);
    expect(existsSync(join(dir, 'dist/connector'))).toBe(false);
  });
});
