/** Child processes of a benchmark: servers under test, started and always stopped by pid. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const live = new Set<ChildProcess>();
// A crashing or timed-out benchmark must not leave servers behind on a shared machine.
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Stops one child by its pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects if `child` dies first or after `timeoutMs`. */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening on port ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface EmulatorProcessOptions {
  count: number;
  seed?: number;
  rateLimit: { limit: number; windowMs: number } | false;
}

export interface ServerStats {
  /** Responses by status code since the last reset. */
  byStatus: Record<string, number>;
  total: number;
}

export interface EmulatorProcess {
  /** e.g. http://127.0.0.1:40123/v1.0/engagements */
  apiUrl: string;
  port: number;
  pid: number;
  /** Server-side counts of the responses sent, read over IPC. */
  stats(): Promise<ServerStats>;
  resetStats(): Promise<void>;
  /** Changes the first `count` referrals in the store, as the service would. */
  touch(count: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts bench/server.ts (our emulator behind node:http) in its own process, so the server
 * and the load generator or client under test do not share one event loop.
 */
export async function startEmulatorProcess(options: EmulatorProcessOptions, timeoutMs = 120_000): Promise<EmulatorProcess> {
  const child = track(
    fork(fileURLToPath(new URL('../server.ts', import.meta.url)), [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      cwd: REPO_ROOT,
    }),
  );
  let nextId = 0;
  const pending = new Map<number, (value: unknown) => void>();
  child.on('message', (m: { id?: number; result?: unknown }) => {
    if (m.id !== undefined) pending.get(m.id)?.(m.result);
    pending.delete(m.id!);
  });
  const call = <T>(cmd: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, resolve as (v: unknown) => void);
      child.send({ id, cmd }, (err) => err && reject(err));
    });
  const ready = await new Promise<{ port: number; apiUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench/server.ts did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => reject(new Error(`bench/server.ts exited (${code ?? signal}) before listening`)));
    pending.set(-1, (v) => {
      clearTimeout(timer);
      resolve(v as { port: number; apiUrl: string });
    });
  });
  return {
    apiUrl: ready.apiUrl,
    port: ready.port,
    pid: child.pid!,
    stats: () => call<ServerStats>('stats'),
    resetStats: () => call<void>('reset-stats'),
    touch: (count) => call<void>(`touch ${count}`),
    stop: () => stop(child),
  };
}

/**
 * Prism (`prism mock`) serving `specFile` on 127.0.0.1:port, in one process (no --multiprocess)
 * with only warnings logged, so its per-request logging does not count against it.
 */
export async function startPrism(specFile: string, port: number, logFile: string, timeoutMs = 60_000): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const prism = fileURLToPath(new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
  const log = openSync(logFile, 'w');
  const child = track(
    spawn(process.execPath, [prism, 'mock', '-p', String(port), '-h', '127.0.0.1', '-v', 'warn', specFile], {
      cwd: REPO_ROOT,
      stdio: ['ignore', log, log],
    }),
  );
  closeSync(log);
  try {
    await waitForPort(port, child, timeoutMs, `Prism (log: ${logFile})`);
  } catch (err) {
    await stop(child);
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stop(child) };
}
