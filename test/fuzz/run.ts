/**
 * `npm run fuzz`: a long random exploration of the emulator's list-query options, beyond what the
 * property tests try on each `npm test`. Each input runs in a worker thread under a deadline
 * (test/harness/bounded-worker.ts), so a hang is reported with its input instead of stalling.
 *
 *   npm run fuzz                       100,000 query strings, a new random seed (printed)
 *   npm run fuzz -- --seed 42          replay a seed
 *   npm run fuzz -- --runs 1000000 --deadline-ms 2000 --target-ms 50 --verbose
 *   npm run fuzz -- --filters-only --worker path/to/module.ts
 *                                      run the `$filter=` inputs through another module's default
 *                                      export (e.g. a candidate parser), which returns { ms, status? }
 *
 * Exits 1 when an input hangs (past the deadline), crashes the worker, throws, gets a 5xx, or when
 * the slowest input, timed again, takes longer than the target.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { BoundedItemError, BoundedWorker, type ItemResult } from '../harness/bounded-worker.js';
import { fastCheckSeed } from '../harness/fast-check-seed.js';
import { anyFilter, queryString, showQuery } from '../emulator/query-arbitraries.js';
import { REGRESSIONS } from '../emulator/query-regressions.js';

interface Answer {
  ms: number;
  status?: number;
  code?: string;
}

function usage(problem: string): never {
  console.error(`npm run fuzz: ${problem}`);
  process.exit(2);
}

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        runs: { type: 'string', default: '100000' },
        seed: { type: 'string' },
        'deadline-ms': { type: 'string', default: '2000' },
        'target-ms': { type: 'string', default: '50' },
        worker: { type: 'string' },
        'filters-only': { type: 'boolean', default: false },
        batch: { type: 'string', default: '500' },
        verbose: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (err) {
    // Node's message goes on with advice about positional arguments, which this command takes none of.
    return usage(`${(err as Error).message.split(/\.(?:\s|$)/)[0]}; the options are listed at the top of test/fuzz/run.ts.`);
  }
})();
const args = parsed.values;

function integer(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) usage(`--${name} must be an integer of at least ${min}, got '${value}'.`);
  return n;
}

const runs = integer('runs', args.runs, 1);
const deadlineMs = integer('deadline-ms', args['deadline-ms'], 1);
const targetMs = integer('target-ms', args['target-ms'], 1);
const batchSize = integer('batch', args.batch, 1);
const seed = (() => {
  try {
    return fastCheckSeed(args.seed ?? 'random');
  } catch {
    return usage(`--seed must be a 32-bit integer or 'random', got '${args.seed}'.`);
  }
})();
if (args.worker && !existsSync(resolve(args.worker))) usage(`--worker ${args.worker}: no such file (a module whose default export answers one query string).`);
const module = args.worker ? pathToFileURL(resolve(args.worker)) : new URL('../emulator/list-query.worker.ts', import.meta.url);

const started = performance.now();
const generator = args['filters-only'] ? anyFilter.map((f) => `$filter=${encodeURIComponent(f)}`) : queryString;
// The named regression cases first, then the random ones.
const inputs = [...REGRESSIONS.map((r) => `$filter=${encodeURIComponent(r.filter)}`), ...fc.sample(generator, { seed, numRuns: runs })];
console.log(`npm run fuzz: ${inputs.length} inputs (${REGRESSIONS.length} regression cases, ${runs} random with seed ${seed}; --seed ${seed} replays), through ${module.pathname}`);

const worker = new BoundedWorker<string, Answer>(module, { deadlineMs, label: showQuery });
/** An input as the summary shows it: decoded, cut to 200 characters. */
const brief = (input: string) => {
  const shown = showQuery(input);
  return shown.length > 200 ? `${shown.slice(0, 200)}... (${shown.length - 2} characters)` : shown;
};
const statuses = new Map<string, number>();
const problems: string[] = [];
const slowest: Array<{ input: string; ms: number }> = [];
/** How many of the slowest first runs are timed again: pauses of the machine crowd the top. */
const RETIME = 50;
const remember = (input: string, ms: number) => {
  slowest.push({ input, ms });
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, RETIME);
};

function tally(batch: readonly string[], results: ReadonlyArray<ItemResult<Answer>>): void {
  results.forEach((result, i) => {
    const input = batch[i]!;
    if (!result.ok) {
      problems.push(`threw: ${brief(input)}: ${result.error}`);
      return;
    }
    const { status, code, ms } = result.value;
    const key = status === undefined ? 'done' : `${status}${code ? ` ${code}` : ''}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (status !== undefined && status >= 500) problems.push(`${status}: ${brief(input)}`);
    if (slowest.length < RETIME || ms > slowest[slowest.length - 1]!.ms) remember(input, ms);
  });
}

/** Runs inputs in order; after one that hangs or crashes, runs the rest, to report every one. */
async function explore(items: readonly string[]): Promise<void> {
  let rest = items;
  while (rest.length) {
    try {
      tally(rest, await worker.runBatch(rest));
      return;
    } catch (err) {
      if (!(err instanceof BoundedItemError)) throw err;
      problems.push(`${brief(err.item as string)}: ${err.reason}`);
      // The results before it went down with the worker: run those again (they finished once).
      await explore(rest.slice(0, err.index));
      rest = rest.slice(err.index + 1);
    }
  }
}

let lastReport = performance.now();
for (let next = 0; next < inputs.length; next += batchSize) {
  await explore(inputs.slice(next, next + batchSize));
  if (performance.now() - lastReport > 10_000) {
    lastReport = performance.now();
    console.log(`  ${Math.min(next + batchSize, inputs.length)} / ${inputs.length}`);
  }
}

// First runs include JIT warm-up, garbage collection and pauses of a busy machine: time the
// slowest ones again and keep each one's median.
const retimed: Array<{ input: string; ms: number }> = [];
for (const { input } of slowest) {
  const times: number[] = [];
  try {
    for (const result of await worker.runBatch(Array.from({ length: 5 }, () => input))) if (result.ok) times.push(result.value.ms);
  } catch (err) {
    problems.push((err as Error).message);
  }
  times.sort((a, b) => a - b);
  if (times.length) retimed.push({ input, ms: times[Math.floor(times.length / 2)]! });
}
retimed.sort((a, b) => b.ms - a.ms);
await worker.close();

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`  answers: ${[...statuses].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} x ${n}`).join(', ')}`);
console.log(`  slowest on first run: ${slowest.slice(0, 5).map((s) => `${s.ms.toFixed(2)} ms`).join(', ')}`);
const top = retimed[0];
if (top) {
  console.log(`  slowest input: ${top.ms.toFixed(2)} ms (median of 5 runs of the ${retimed.length} slowest first runs): ${brief(top.input)}`);
  for (const r of retimed.slice(1, 3)) console.log(`  then: ${r.ms.toFixed(2)} ms: ${brief(r.input)}`);
}
console.log(`  hangs, crashes, throws and 5xx: ${problems.length}`);
const shown = args.verbose ? problems.length : 20;
for (const p of problems.slice(0, shown)) console.log(`    ${p}`);
if (problems.length > shown) console.log(`    ... and ${problems.length - shown} more (--verbose lists all)`);
const tooSlow = top !== undefined && top.ms > targetMs;
console.log(`  ${seconds} s; target: every input under ${targetMs} ms: ${tooSlow ? 'MISSED' : 'met'}`);
process.exit(problems.length || tooSlow ? 1 : 0);
