/**
 * `npm run bench`: runs each benchmark in its own process, one after the other (they would
 * disturb each other's timings on a 2-core machine), prints the table and rewrites
 * BENCHMARKS.md.
 *
 *   npm run bench [-- --only <id,id>] [--quick] [--no-write] [--merge]
 *
 * BENCHMARKS.md is written by a full run (every benchmark, not --quick); `--only <ids> --merge`
 * puts just those sections in it, leaving the others as the last full run wrote them.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, platform, arch } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mergeMarkdown, renderMarkdown, renderText, type Report, type Section } from './lib/report.js';
import { REPO_ROOT } from './lib/proc.js';

interface Entry {
  id: string;
  title: string;
  file: string;
  timeoutMs: number;
}

const BENCHMARKS: Entry[] = [
  { id: 'client-overhead', title: '1. Client overhead', file: 'bench/client-overhead.ts', timeoutMs: 180_000 },
  { id: 'client-size', title: '2. Client size', file: 'bench/client-size.ts', timeoutMs: 120_000 },
  { id: 'throttled-listing', title: '3. Bulk listing under throttling', file: 'bench/throttled-listing.ts', timeoutMs: 120_000 },
  { id: 'emulator-throughput', title: '4. Emulator throughput', file: 'bench/emulator-throughput.ts', timeoutMs: 240_000 },
  { id: 'pipeline', title: '5. Pipeline', file: 'bench/pipeline.ts', timeoutMs: 300_000 },
  { id: 'crm-sync', title: '6. CRM sync: export and sync', file: 'bench/crm-sync.ts', timeoutMs: 240_000 },
  { id: 'mirror-open', title: '7. Mirror open: damage check', file: 'bench/mirror-open.ts', timeoutMs: 180_000 },
];

const BUDGET_MS = 10 * 60_000;

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false }, merge: { type: 'boolean', default: false } },
  strict: true,
});
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
if (unknown.length) {
  console.error(`Unknown benchmark id(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.id).join(', ')}`);
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) => !only || only.includes(b.id));

function runOne(entry: Entry): Promise<Section> {
  const out = join(tmpdir(), `pcr-bench-${entry.id}-${process.pid}.json`);
  rmSync(out, { force: true });
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', 'bench/lib/child.ts', entry.file, out], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, BENCH_QUICK: values.quick ? '1' : '0' },
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, entry.timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const elapsedMs = performance.now() - started;
      const base: Section = { id: entry.id, title: entry.title, setup: [], rows: [], notes: [], elapsedMs };
      const result = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Partial<Section>) : undefined;
      rmSync(out, { force: true });
      if (timedOut) resolve({ ...base, error: `did not finish within its ${entry.timeoutMs / 1000} s limit` });
      else if (result?.error) resolve({ ...base, error: result.error });
      else if (code !== 0 || !result) resolve({ ...base, error: `exited with ${code ?? signal} without a result` });
      else resolve({ ...base, ...result, id: entry.id, title: entry.title, elapsedMs });
    });
  });
}

const started = performance.now();
const sections: Section[] = [];
for (const entry of selected) {
  process.stderr.write(`\n${entry.title} ...\n`);
  sections.push(await runOne(entry));
}

const cpuList = cpus();
const report: Report = {
  date: new Date(),
  command: process.env.npm_lifecycle_event === 'bench' ? `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}` : `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine: {
    cpus: cpuList.length,
    model: cpuList[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    platform: `${platform()} ${arch()}`,
    memoryGB: totalmem() / 2 ** 30,
  },
  totalMs: performance.now() - started,
  budgetMs: BUDGET_MS,
  sections,
};

console.log(renderText(report));
const full = selected.length === BENCHMARKS.length && !values.quick;
const target = join(REPO_ROOT, 'BENCHMARKS.md');
if (full && !values['no-write']) {
  writeFileSync(target, renderMarkdown(report));
  console.log('Wrote BENCHMARKS.md.');
} else if (values.merge && !values.quick && !values['no-write'] && existsSync(target)) {
  writeFileSync(target, mergeMarkdown(readFileSync(target, 'utf8'), report));
  console.log(`Merged ${selected.map((b) => b.id).join(', ')} into BENCHMARKS.md.`);
} else {
  console.log('BENCHMARKS.md left unchanged (a full run without --quick or --no-write rewrites it; --only <ids> --merge updates those sections).');
}
if (sections.some((s) => s.error)) process.exitCode = 1;
