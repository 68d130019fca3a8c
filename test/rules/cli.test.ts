import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, fixture } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'spectral-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lint = (file: string) =>
  spawnSync('npx', ['spectral', 'lint', file], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SCARF_ANALYTICS: 'false' },
  });

describe('spectral CLI with the repository ruleset', () => {
  it('prints the rule name and JSON path of a broken Swagger file and exits non-zero', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(
      file,
      JSON.stringify(
        fixture(doc => {
          // A duplicate operationId: an error, which the CLI's default --fail-severity fails on.
          doc.paths['/tasks'].post.operationId = doc.paths['/tasks'].get.operationId;
        }),
        null,
        2,
      ),
    );
    const run = lint(file);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/error\s+OperationIdNotUnique\s+.*paths\.\/tasks\.post\.operationId/);
  });

  it('exits 0 on the certifiable base connector', () => {
    const file = path.join(dir, 'base.json');
    writeFileSync(file, JSON.stringify(fixture(), null, 2));
    const run = lint(file);
    expect(run.stdout).not.toMatch(/\d+:\d+\s+(error|warning)\s/);
    expect(run.stdout).toMatch(/No results/);
    expect(run.status).toBe(0);
  });
});
