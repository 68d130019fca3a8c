// The command line against a real emulator server on loopback (port 0): in process through
// `main()` for speed, or as a child process where signals, exit codes and pipes matter.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ReferralsEmulator, type EmulatorOptions } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';

export const ROOT = join(import.meta.dirname, '../..');
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

/** The tsx loader as an absolute URL, so `--import` resolves it from any working folder. */
export const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/**
 * Starts the CLI as a child process, stdio piped; `imports` are module hooks to load first.
 *
 * The CLI runs in that process itself (`node --import tsx`, not tsx's command-line wrapper, which
 * would run it in a grandchild that a kill of the child leaves running), as the leader of a
 * process group of its own: `killTree` ends it with everything it started (tsx's esbuild
 * service), and `useCleanup` checks after each test that none of them is left.
 */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT, imports: string[] = []): Child {
  const launcher = [...imports.flatMap((i) => ['--import', i]), '--import', TSX_LOADER];
  return spawnTracked(process.execPath, [...launcher, CLI, ...args], { cwd, env: { REFERRALS_TOKEN: 'cli-test', ...env } });
}

/**
 * Starts `command` as the leader of a process group of its own, stdio piped, environment added
 * to this process's; `useCleanup` fails the test if anything of that group is left running.
 */
export function spawnTracked(command: string, args: string[], { cwd = ROOT, env = {} }: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Sends `signal` to the child's whole process group; false when none of it is left. */
export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/**
 * The living members of the child's process group, as `pid command` lines. Zombies are left
 * out: a grandchild that has exited but waits for PID 1 to reap it (seen here to take ~2 s) is
 * gone for every purpose the tests care about, although `kill(-pgid, 0)` still finds it.
 */
function livingMembers(child: ChildProcess): string[] {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return (ps.stdout ?? '')
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === child.pid && !m[3]!.startsWith('Z'))
    .map((m) => `${m[1]} ${m[4]}`);
}

/**
 * The processes of the child's group still alive after `graceMs` (helpers such as esbuild's
 * service end on their own once their parent's pipes close), as `pid command` lines.
 */
export async function stillAlive(child: ChildProcess, graceMs = 2000): Promise<string[]> {
  const end = Date.now() + graceMs;
  let alive = livingMembers(child);
  while (alive.length && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = livingMembers(child);
  }
  return alive;
}

// A worker that exits (a test file timed out, Ctrl-C) takes the groups it started with it.
process.on('exit', () => {
  for (const c of children) if (c.pid) killTree(c);
});

/**
 * Registers cleanup of servers, child processes and temporary folders for this test file, and
 * fails a test that leaves a process it started running (after killing it).
 */
export function useCleanup(): { tmp: () => string } {
  const dirs: string[] = [];
  afterEach(async () => {
    const left: string[] = [];
    for (const c of children.splice(0)) {
      const alive = await stillAlive(c, c.exitCode === null && c.signalCode === null ? 0 : 2000);
      if (alive.length) {
        left.push(...alive);
        killTree(c);
      }
    }
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    if (left.length) throw new Error(`The test left ${left.length} process(es) running, now killed: ${left.join('; ')}`);
  });
  return {
    tmp: () => {
      const d = mkdtempSync(join(tmpdir(), 'pcr-cli-'));
      dirs.push(d);
      return d;
    },
  };
}

/** Waits (polling every 25 ms) until `check()` holds; after `ms`, fails naming `what` and what `detail()` says (a process's output). */
export async function until(what: string, check: () => boolean, detail?: () => unknown, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail ? `: ${JSON.stringify(detail())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `value` with null members (and null array items' members) removed: how CSV gives them back. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}
