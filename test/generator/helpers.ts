// Shared by the generator tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { newEmulator } from '../emulator/helpers.js';

/** A PATH holding only `node`: java, mvn and python3 are all missing. */
export function pathWithoutTools(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pcr-no-tools-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  return { path: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a tool without blocking the test's event loop (an emulator server in the same process
 * answers it meanwhile): exit status and stdout + stderr, never a rejection. The tool runs in a
 * process group of its own, and on timeout the whole group is killed (`go run`'s program, pip's
 * build backends, the JVM under a wrapper), so nothing outlives the test; the output then ends
 * with the timeout, so the failure names it.
 */
export function runAsync(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number }): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }, options.timeout);
    const done = (status: number, note = '') => {
      clearTimeout(timer);
      resolve({ status, output: `${stdout}\n${stderr}${note}` });
    };
    child.on('error', (err) => done(1, `\n${err.message}`));
    child.on('close', (code) =>
      done(code ?? 1, timedOut ? `\n${[file, ...args].join(' ')}: timed out after ${options.timeout} ms; its process group was killed` : ''),
    );
  });
}

/** Why this machine cannot make a Python virtual environment for `check`, or undefined. */
export function missingPython(check: string): string | undefined {
  const py = spawnSync('python3', ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  const [major = 0, minor = 0] = (py.stdout ?? '').trim().split('.').map(Number);
  if (py.error || py.status !== 0 || major < 3 || (major === 3 && minor < 9)) {
    return `Python 3.9 or newer with venv is needed for ${check} (python3 ${py.error ? 'not on PATH' : py.stdout.trim() || 'lacks venv/ensurepip'}). Install: sudo apt-get install -y python3 python3-venv python3-pip`;
  }
  return undefined;
}

/** Why OpenAPI Generator cannot run here (no Java), or undefined. */
export function missingJava(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return java.error ? 'Java 11 or newer is needed to run OpenAPI Generator (java not on PATH). Install: sudo apt-get install -y openjdk-17-jre-headless' : undefined;
}

/**
 * For a generated client's check: a temp folder and an emulator (6 referrals) served over HTTP on
 * a loopback port the OS picks, made before the suite's tests and removed after them.
 */
export function emulatorOverHttp(prefix: string, seed: number): { readonly dir: string; readonly apiUrl: string; readonly emulator: ReferralsEmulator } {
  const fixture = {} as { dir: string; apiUrl: string; emulator: ReferralsEmulator };
  let server: EmulatorServer | undefined;
  beforeAll(async () => {
    fixture.dir = mkdtempSync(join(tmpdir(), prefix));
    fixture.emulator = newEmulator({ count: 6, seed, now: () => new Date() });
    server = await startEmulatorServer({ emulator: fixture.emulator, port: 0 });
    fixture.apiUrl = server.apiUrl;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
