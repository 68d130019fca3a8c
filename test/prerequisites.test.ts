// prerequisites(): run a throw-away suite that lacks one prerequisite through the real Vitest,
// once as a developer would (skips, names the missing piece) and once under CI (fails).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prereq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'probe.test.ts'),
  `import { describe, it } from 'vitest';
import { prerequisites } from ${JSON.stringify(join(ROOT, 'test/prerequisites.ts'))};
const ready = prerequisites('the probe suite', [false, '/usr/bin/nothing-here is missing (sudo apt-get install -y nothing)']);
describe.skipIf(!ready)('needs the thing', () => { it('uses it', () => {}); });
it('runs regardless', () => {});
`,
);

function vitest(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.CI;
  if (ci) env.CI = 'true';
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose'], { encoding: 'utf8', env });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('prerequisites()', () => {
  it('skips locally with one line naming what is missing and how to install it', () => {
    const r = vitest(false);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('the probe suite skipped: /usr/bin/nothing-here is missing (sudo apt-get install -y nothing)');
    expect(r.output).toMatch(/1 passed \| 1 skipped/);
  });

  it('fails under CI instead of skipping', () => {
    const r = vitest(true);
    expect(r.status).toBe(1);
    expect(r.output).toContain('prerequisites of the probe suite');
    expect(r.output).toContain('the probe suite: /usr/bin/nothing-here is missing (sudo apt-get install -y nothing)');
  });
});
