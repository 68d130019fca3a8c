/**
 * A Vitest reporter that fails the run, naming the file and test, when a test file stops making
 * progress for longer than its own time limits allow.
 *
 * Vitest's testTimeout and hookTimeout are timers in the test's worker: a synchronous loop blocks
 * that worker's event loop, the timer never fires, and the run waits for CI's clock. This reporter
 * runs in Vitest's main process, whose event loop stays free. It hears from each running file
 * (collected, test started or finished, hook started or ended) and allows the longest limit that
 * can apply to what the file is doing (the running test's timeout, the hook timeout, or the next
 * test's timeout when its start was never sent) plus a grace period. Past that the worker is
 * blocked: the reporter says which file and test, kills Vitest's worker processes (a blocked
 * worker would not notice its parent exiting) and exits with 1.
 *
 * Workers send test events in batches every 100 ms, so a test that blocks at once takes the news
 * of its own start, and of the tests just before it, with it. `setup.ts` therefore also writes
 * the name of each test it starts to a small file per worker ("beacon") in WATCHDOG_DIR, synchronously.
 * Hooks may set their own timeout, which Vitest does not report either: `setup.ts` writes the
 * longest hook timeout of each file there too, before the file's own hooks run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, ReportedHookContext, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';
import { HOOK_LIMIT_SUFFIX, WATCHDOG_DIR, type Beacon, type HookLimit } from './beacon.js';

export interface WatchdogOptions {
  /** Added to the applicable time limit before a file counts as blocked (default 60 s). */
  graceMs?: number;
  /** How often files are checked (default 1 s). */
  pollMs?: number;
}

interface Running {
  what: string;
  limitMs: number;
  /** A hook: its limit is the file's longest hook timeout (see hookLimitMs). */
  hook?: boolean;
}

interface Watch {
  module: TestModule;
  lastProgress: number;
  collected: boolean;
  running: Map<string, Running>;
}

/** Every process below `pid`, from /proc (Linux); empty where /proc is missing. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

export default class WatchdogReporter implements Reporter {
  private readonly graceMs: number;
  private readonly pollMs: number;
  private testTimeout = 5_000;
  private hookTimeout = 10_000;
  private readonly watches = new Map<string, Watch>();
  /** Files that ended: events that arrive after the end (hooks, suites) must not watch them again. */
  private readonly ended = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(options: WatchdogOptions = {}) {
    this.graceMs = options.graceMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
  }

  private beacons?: string;

  onInit(vitest: Vitest): void {
    // Workers inherit the environment when they start, which is after onInit.
    this.beacons = mkdtempSync(join(tmpdir(), 'vitest-watchdog-'));
    process.env[WATCHDOG_DIR] = this.beacons;
    this.testTimeout = vitest.config.testTimeout;
    this.hookTimeout = vitest.config.hookTimeout;
    this.timer = setInterval(() => this.check(), this.pollMs);
    this.timer.unref();
  }

  onTestRunEnd(): void {
    clearInterval(this.timer);
    if (this.beacons) rmSync(this.beacons, { recursive: true, force: true });
  }

  /** The test a worker last said it was starting in this file, if that test has no result here. */
  private beacon(watch: Watch): Beacon | undefined {
    if (!this.beacons) return undefined;
    let latest: Beacon | undefined;
    for (const name of readdirSync(this.beacons)) {
      if (name.endsWith(HOOK_LIMIT_SUFFIX)) continue;
      try {
        const beacon = JSON.parse(readFileSync(join(this.beacons, name), 'utf8')) as Beacon;
        if (beacon.file === watch.module.moduleId && (!latest || beacon.at > latest.at)) latest = beacon;
      } catch {
        // being written
      }
    }
    if (!latest) return undefined;
    const test = [...watch.module.children.allTests()].find((t) => t.fullName === latest.test);
    return test && test.result().state !== 'pending' ? undefined : latest;
  }

  /** The longest hook timeout in the file, as its worker stated it; at least the configured one. */
  private hookLimitMs(watch: Watch): number {
    let limit = this.hookTimeout;
    if (!this.beacons) return limit;
    for (const name of readdirSync(this.beacons)) {
      if (!name.endsWith(HOOK_LIMIT_SUFFIX)) continue;
      try {
        const stated = JSON.parse(readFileSync(join(this.beacons, name), 'utf8')) as HookLimit;
        if (stated.file === watch.module.moduleId) limit = Math.max(limit, stated.timeoutMs);
      } catch {
        // being written
      }
    }
    return limit;
  }

  private progress(module: TestModule): Watch {
    let watch = this.watches.get(module.id);
    if (this.ended.has(module.id)) return { module, lastProgress: 0, collected: true, running: new Map() }; // not watched
    if (!watch) {
      watch = { module, lastProgress: 0, collected: false, running: new Map() };
      this.watches.set(module.id, watch);
    }
    watch.module = module; // Vitest may hand over a newer object for the same file
    watch.lastProgress = performance.now();
    return watch;
  }

  onTestModuleQueued(module: TestModule): void {
    this.progress(module);
  }

  onTestModuleCollected(module: TestModule): void {
    this.progress(module).collected = true;
  }

  onTestModuleEnd(module: TestModule): void {
    this.ended.add(module.id);
    this.watches.delete(module.id);
  }

  onTestSuiteReady(suite: TestSuite): void {
    this.progress(suite.module);
  }

  onTestSuiteResult(suite: TestSuite): void {
    this.progress(suite.module);
  }

  onTestCaseReady(test: TestCase): void {
    this.progress(test.module).running.set(`test ${test.id}`, { what: `test '${test.fullName}'`, limitMs: test.options.timeout ?? this.testTimeout });
  }

  onTestCaseResult(test: TestCase): void {
    this.progress(test.module).running.delete(`test ${test.id}`);
  }

  onHookStart(hook: ReportedHookContext): void {
    const module = hook.entity.type === 'module' ? hook.entity : hook.entity.module;
    const where = hook.entity.type === 'module' ? 'the file' : `'${hook.entity.fullName}'`;
    this.progress(module).running.set(`${hook.name} ${hook.entity.id}`, { what: `${hook.name} hook of ${where}`, limitMs: this.hookTimeout, hook: true });
  }

  onHookEnd(hook: ReportedHookContext): void {
    const module = hook.entity.type === 'module' ? hook.entity : hook.entity.module;
    this.progress(module).running.delete(`${hook.name} ${hook.entity.id}`);
  }

  /** What the file is doing, as far as this process knows, and the longest limit that applies. */
  private suspect(watch: Watch): Running {
    const running = [...watch.running.values()];
    const hookLimitMs = this.hookLimitMs(watch);
    if (running.length) return { what: running.map((r) => r.what).join(' and '), limitMs: Math.max(...running.map((r) => (r.hook ? hookLimitMs : r.limitMs))) };
    const beacon = this.beacon(watch);
    if (beacon) return { what: `test '${beacon.test}' (or its hooks)`, limitMs: Math.max(beacon.timeoutMs ?? this.testTimeout, hookLimitMs) };
    if (!watch.collected) return { what: 'loading the file (imports and top-level code)', limitMs: this.hookTimeout };
    return { what: 'a hook or test after the last one it reported', limitMs: Math.max(this.testTimeout, hookLimitMs) };
  }

  private check(): void {
    const now = performance.now();
    for (const watch of this.watches.values()) {
      const state = watch.module.state();
      if (state !== 'pending' && state !== 'queued') continue; // finished: its end event is on its way
      const { what, limitMs } = this.suspect(watch);
      const silentMs = now - watch.lastProgress;
      if (silentMs <= limitMs + this.graceMs) continue;
      const message =
        `\nWatchdog: ${watch.module.relativeModuleId}: ${what} has made no progress for ${Math.round(silentMs / 1000)} s, ` +
        `past its ${limitMs / 1000} s limit and ${this.graceMs / 1000} s of grace. Vitest cannot time it out, so its worker is ` +
        `blocked (a synchronous endless loop?). Stopping the test run.\n`;
      writeSync(2, message); // synchronous: the process exits right after
      for (const pid of descendants(process.pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(1);
    }
  }
}
