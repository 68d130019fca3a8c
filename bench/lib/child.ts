/**
 * Runs one benchmark module in its own process (fresh heap and JIT, servers it started die
 * with it) and writes its result as JSON:  node --import tsx bench/lib/child.ts <module> <out.json>
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchContext } from './bench.js';

// Turn a stop request into a normal exit, so exit hooks stop the servers this benchmark started.
process.once('SIGTERM', () => process.exit(143));
process.once('SIGINT', () => process.exit(130));

const [file, out] = process.argv.slice(2);
if (!file || !out) throw new Error('usage: child.ts <benchmark module> <result.json>');
const name = file.replace(/^.*\/|\.ts$/g, '');
const tmpDir = mkdtempSync(join(tmpdir(), `pcr-bench-${name}-`));
const ctx: BenchContext = {
  quick: process.env.BENCH_QUICK === '1',
  tmpDir,
  log: (m) => process.stderr.write(`  [${name}] ${m}\n`),
};
let code = 0;
try {
  const { run } = (await import(pathToFileURL(resolve(file)).href)) as { run: Bench };
  writeFileSync(out, JSON.stringify(await run(ctx)));
} catch (err) {
  // The report shows the failure instead of leaving the benchmark out.
  writeFileSync(out, JSON.stringify({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  code = 1;
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}
// Keep-alive sockets or timers of libraries must not keep a finished benchmark alive.
process.exit(code);
