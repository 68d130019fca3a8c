/**
 * `npm run fuzz` (test/fuzz/run.ts) itself: a short run reports its seed and its slowest input
 * and passes; an input that never returns is stopped at the deadline and named; a mistyped
 * option is one line and exit code 2. Timing targets are not checked here (--target-ms is set
 * out of reach): speed belongs to `npm run fuzz` itself and the benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

function fuzz(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, 'test/fuzz/run.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 100_000, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run fuzz', () => {
  it('runs the regression cases and a seeded sample, and reports the slowest input', () => {
    const r = fuzz('--runs', '200', '--seed', '42', '--target-ms', '60000');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^npm run fuzz: \d+ inputs \(\d+ regression cases, 200 random with seed 42; --seed 42 replays\)/);
    expect(r.stdout).toMatch(/\n {2}slowest input: \d+\.\d\d ms \(median of 5 runs of the \d+ slowest first runs\): "\$(filter|orderby|select|expand|top|skip|count|skiptoken)=/);
    expect(r.stdout).toContain('\n  hangs, crashes, throws and 5xx: 0\n');
    expect(r.status).toBe(0);
  }, 120_000);

  it('stops an input that never returns at its deadline, names it, and fails', () => {
    const r = fuzz('--filters-only', '--runs', '20', '--seed', '1', '--deadline-ms', '500', '--target-ms', '60000', '--worker', 'test/fuzz/fixtures/hangs-on-json.worker.ts');
    expect(r.stdout).toMatch(/\n {2}hangs, crashes, throws and 5xx: [1-9]\d*\n/);
    expect(r.stdout).toContain('\n    "$filter=[\\"#O": did not finish within 500 ms; its worker thread was stopped\n');
    expect(r.status).toBe(1);
  }, 120_000);

  it('refuses a mistyped option, a missing worker module or a bad seed in one line, with exit code 2', () => {
    const r = fuzz('--runz', '5');
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^npm run fuzz: Unknown option '--runz'[^\n]*\n$/);
    expect(r.status).toBe(2);
    const missing = fuzz('--worker', 'no/such/worker.ts');
    expect(missing.stderr).toBe('npm run fuzz: --worker no/such/worker.ts: no such file (a module whose default export answers one query string).\n');
    expect(missing.status).toBe(2);
    const seed = fuzz('--seed', '1.5');
    expect(seed.stderr).toBe("npm run fuzz: --seed must be a 32-bit integer or 'random', got '1.5'.\n");
    expect(seed.status).toBe(2);
  }, 120_000);
});
