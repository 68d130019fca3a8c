// Shared by the diff tests: fixture pairs (test/diff/fixtures/<class>.yaml) and a way to run the
// diff scripts as a user would.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
// @ts-expect-error: plain ESM script without type declarations
import { diffConnectors } from '../../scripts/lib/diff/compare.mjs';
// @ts-expect-error: plain ESM script without type declarations
import { sideFromValues } from '../../scripts/lib/diff/load.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'test/diff/fixtures');

export interface Change {
  class: string;
  level: 'error' | 'warning' | 'info';
  breaking: boolean;
  operationId: string | null;
  path: string;
  message: string;
  fix: string;
  detail?: string;
}

export interface Fixture {
  about: string;
  old: Record<string, unknown>;
  new: Record<string, unknown>;
  oldApiProperties?: Record<string, unknown>;
  newApiProperties?: Record<string, unknown>;
  expect: string[];
}

/** The frame every fixture's definitions sit in, so a fixture holds only what it is about. */
export function definition(parts: Record<string, unknown>): Record<string, unknown> {
  return { swagger: '2.0', info: { title: 'Fixture', version: '1.0' }, host: 'api.example.com', basePath: '/', schemes: ['https'], ...parts };
}

export function readFixture(name: string): Fixture {
  const text = readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8');
  const about = text.match(/^# (.*)$/m)?.[1] ?? '';
  return { about, ...(YAML.parse(text) as Omit<Fixture, 'about'>) };
}

/** Diffs two definitions given as objects (apiProperties.json too when given for both). */
export async function diffValues(
  oldDef: Record<string, unknown>,
  newDef: Record<string, unknown>,
  props: { old?: Record<string, unknown>; new?: Record<string, unknown> } = {},
): Promise<{ changes: Change[]; notes: string[]; comparedApiProperties: boolean }> {
  const text = (v: Record<string, unknown> | undefined) => (v === undefined ? undefined : JSON.stringify(v));
  const oldSide = await sideFromValues('old', 'old fixture', JSON.stringify(definition(oldDef)), text(props.old));
  const newSide = await sideFromValues('new', 'new fixture', JSON.stringify(definition(newDef)), text(props.new));
  return diffConnectors(oldSide, newSide);
}

export async function diffFixture(f: Fixture) {
  return diffValues(f.old, f.new, { old: f.oldApiProperties, new: f.newApiProperties });
}

export const summary = (changes: Change[]) => changes.map((c) => `${c.class} ${c.path}`).sort();

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/<script> as a child process, as npm run would. */
export function runScript(script: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', script), ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
