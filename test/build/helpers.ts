// Shared by the build tests: run a build script as the user would (a child process), on a
// throw-away copy of the inputs so the real checkout is never touched.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED = join(ROOT, '..', 'shared');

/** Inputs of the package step. */
export const PACKAGE_INPUTS = ['openapi/referrals.yaml', 'openapi/connector-readme.md', 'openapi/script.csx', 'apiProperties.json', 'assets/icon.png'];
/** Inputs and outputs of the generate step. */
export const GENERATE_INPUTS = ['openapi/referrals.yaml', 'apiProperties.json', 'generated'];
/**
 * Timeout of a test that runs OpenAPI Generator (Java) more than once: about 10 s a run alone,
 * 20-35 s while the suite's other Java and browser steps share two cores (four runs took 73 s at
 * a load of 7 to 9), so the 60 s default fails a passing test there.
 */
export const GENERATOR_RUNS_TIMEOUT = 240_000;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on messages. */
  output: string;
}

/** Runs a Node script of the checkout at `root` in it, with telemetry and update checks off. */
function runNode(root: string, script: string, args: string[], env: Record<string, string> = {}, timeout?: number): RunResult {
  const r = spawnSync(process.execPath, [join(root, 'scripts', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', SCARF_ANALYTICS: 'false', ...env },
    timeout,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}

/**
 * Runs one of the checkout's scripts. spawnSync blocks the worker, so Vitest's own timeout cannot
 * stop a hung script: the 240 s bound makes it fail here (ETIMEDOUT, the child killed) before the
 * watchdog has to end the whole file.
 */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): RunResult {
  return runNode(ROOT, script, args, env, 240_000);
}

/**
 * A throw-away copy of `paths` in which `npm run build` runs (runBuild): node_modules and the
 * generator JAR cache (fetched by the real build's first step) are linked from the checkout, so
 * the copy needs no install and no Maven.
 */
export function buildableCopy(paths: string[]): { dir: string; cleanup: () => void } {
  const copy = tempCopy(paths);
  symlinkSync(join(ROOT, 'node_modules'), join(copy.dir, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, '.cache'), join(copy.dir, '.cache'), 'dir');
  return copy;
}

/** Runs the copy's own scripts/build.mjs in it, as `npm run build` would there. */
export function runBuild(dir: string): RunResult {
  return runNode(dir, 'build.mjs', [], {}, 240_000);
}

/** A temp directory holding copies of `paths` (files or folders) from the checkout. */
export function tempCopy(paths: string[]): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pcr-build-'));
  for (const p of paths) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
