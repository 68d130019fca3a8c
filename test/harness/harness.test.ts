/**
 * The suite's own bounds: an input that hangs fails within seconds and names itself; a test file
 * whose worker blocks fails the run with its name; property tests use one printed seed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BoundedItemError, BoundedWorker } from './bounded-worker.js';
import { DEFAULT_SEED, describeSeed, fastCheckSeed } from './fast-check-seed.js';

const root = join(import.meta.dirname, '../..');

describe('BoundedWorker', () => {
  const spin = new BoundedWorker<string, number>(new URL('./fixtures/spin.worker.ts', import.meta.url), { deadlineMs: 1_000 });
  afterAll(() => spin.close());

  it('runs items and returns their results, errors included', async () => {
    expect(await spin.runBatch(['a', 'abc'])).toEqual([
      { ok: true, value: 1 },
      { ok: true, value: 3 },
    ]);
  });

  it('fails an item that never returns within its deadline, naming it, and starts afresh after', async () => {
    const started = performance.now();
    const failure = await spin.runBatch(['ok', 'spin: the deliberate hang', 'never reached']).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(failure).toBeInstanceOf(BoundedItemError);
    expect((failure as Error).message).toBe('input "spin: the deliberate hang" did not finish within 1000 ms; its worker thread was stopped');
    expect((failure as BoundedItemError).item).toBe('spin: the deliberate hang');
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(15_000); // seconds, not CI's clock (the bound itself is the deadline)
    expect(await spin.run('again')).toEqual({ ok: true, value: 5 });
  });

  it("bounds the real hang: odata-v4-parser without the emulator's guard on the $filter [\"#O", async () => {
    const raw = new BoundedWorker<string, string>(new URL('./fixtures/raw-odata-filter.worker.ts', import.meta.url), { deadlineMs: 1_000 });
    try {
      expect(await raw.run("status eq 'New'")).toEqual({ ok: true, value: 'parsed' });
      await expect(raw.run('["#O')).rejects.toThrow('input "[\\"#O" did not finish within 1000 ms');
    } finally {
      await raw.close();
    }
  });
});

describe('watchdog reporter', () => {
  /** Runs test/harness/fixtures/<fixture>.fixture.ts in a nested Vitest with 500 ms limits and the watchdog. */
  async function runWatched(fixture: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/harness/fixtures/vitest.watchdog.config.ts'], {
      cwd: root,
      env: { ...process.env, ...env, WATCHDOG_FIXTURE: fixture, FC_SEED: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // a group of its own: the bound below ends Vitest's workers with it
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const bound = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 50_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(bound);
    return { code, output };
  }

  it('fails a run whose worker blocks, naming the file and the test, and leaves no worker behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchdog-'));
    const pidFile = join(dir, 'pid');
    try {
      const { code, output } = await runWatched('blocked', { BLOCKED_PID_FILE: pidFile });
      expect(code, output).toBe(1);
      expect(output).toContain("Watchdog: test/harness/fixtures/blocked.fixture.ts: test 'spins forever' (or its hooks) has made no progress");
      expect(output).toContain(describeSeed(DEFAULT_SEED, ''));
      // Killed, not orphaned: gone once init has reaped it (a zombie still answers signal 0).
      const blocked = Number(readFileSync(pidFile, 'utf8'));
      const alive = () => existsSync(`/proc/${blocked}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${blocked}/stat`, 'utf8'));
      await expect.poll(alive, { timeout: 5_000 }).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a slow file finish: a hook and a test past the configured limits, within the timeouts they set', async () => {
    // The schemathesis suite's beforeAll installs a venv under its own 600 s; the watchdog once
    // allowed every hook only the configured hookTimeout (120 s) plus grace, and stopped the run.
    const { code, output } = await runWatched('slow');
    expect(output).not.toContain('Watchdog:');
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests\s+.*2 passed/);
  });
});

describe('fast-check seed', () => {
  it('is fixed unless FC_SEED says otherwise, and every property here uses it', () => {
    expect(fastCheckSeed(undefined)).toBe(DEFAULT_SEED);
    expect(fastCheckSeed(' ')).toBe(DEFAULT_SEED);
    expect(fastCheckSeed('-42')).toBe(-42);
    expect(Number.isSafeInteger(fastCheckSeed('random'))).toBe(true);
    expect(() => fastCheckSeed('1.5')).toThrow("FC_SEED must be a 32-bit integer or 'random', got '1.5'.");
    expect(fc.readConfigureGlobal().seed).toBe(inject('fastCheckSeed'));
    if (!process.env.FC_SEED) expect(inject('fastCheckSeed')).toBe(DEFAULT_SEED);
  });
});
