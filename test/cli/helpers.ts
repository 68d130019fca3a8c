// The command line against a real emulator server on loopback (port 0): in process through
// `main()` for speed, or as a child process where signals, exit codes and pipes matter.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ReferralsEmulator, type EmulatorOptions } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';

export const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
export const CLI = join(ROOT, 'src/cli/main.ts');

/** A writable that keeps what it was given; `isTTY` as asked. */
export class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export interface Served {
  emulator: ReferralsEmulator;
  server: EmulatorServer;
  /** Runs the CLI in process with `--base-url` and a token set; resolves to its exit code and output. */
  cli(args: string[], options?: { ttyErr?: boolean; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** A fresh emulator server for one test (rate limit off unless given); `useCleanup` closes it. */
const open: EmulatorServer[] = [];
export async function serve(options: EmulatorOptions = {}): Promise<Served> {
  const emulator = new ReferralsEmulator({ rateLimit: false, ...options });
  const server = await startEmulatorServer({ emulator, port: 0 });
  open.push(server);
  return {
    emulator,
    server,
    async cli(args, o = {}) {
      const stdout = new Capture();
      const stderr = new Capture(o.ttyErr);
      const code = await main(args.includes('--base-url') ? args : [...args, '--base-url', server.apiUrl], {
        stdout,
        stderr,
        env: { REFERRALS_TOKEN: 'cli-test', ...o.env },
        signal: o.signal ?? new AbortController().signal,
      });
      return { code, stdout: stdout.text, stderr: stderr.text };
    },
  };
}

export interface Child {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
}

const children: ChildProcess[] = [];

/** Starts the CLI as a child process (under tsx), stdio piped; `imports` are module hooks to load first. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT, imports: string[] = []): Child {
  // With extra --import hooks, tsx is imported the same way rather than through its own CLI.
  const launcher = imports.length ? [...imports.flatMap((i) => ['--import', i]), '--import', 'tsx'] : [TSX];
  const child = spawn(process.execPath, [...launcher, CLI, ...args], { cwd, env: { ...process.env, REFERRALS_TOKEN: 'cli-test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Registers cleanup of servers, child processes and temporary folders for this test file. */
export function useCleanup(): { tmp: () => string } {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    tmp: () => {
      const d = mkdtempSync(join(tmpdir(), 'pcr-cli-'));
      dirs.push(d);
      return d;
    },
  };
}

/** `value` with null members (and null array items' members) removed: how CSV gives them back. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}
