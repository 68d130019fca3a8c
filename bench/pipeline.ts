/**
 * 5. Pipeline: wall time of `npm run build` and of `npm run generate` after a one-line spec
 * edit. Both run in a copy of the working tree under the temp folder (node_modules linked), so
 * the benchmark never rewrites dist/ or generated/ under the engineers using the checkout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Bench } from './lib/bench.js';
import { REPO_ROOT } from './lib/proc.js';
import { summarize } from './lib/stats.js';

const SPEC = 'openapi/referrals.yaml';
const env = { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' };

/** Tracked and new (not ignored) files of the checkout, copied as they are now. */
function copyWorkingTree(to: string): { files: number; commit: string; dirty: boolean } {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  let copied = 0;
  for (const f of files) {
    const from = join(REPO_ROOT, f);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, f)), { recursive: true });
    cpSync(from, join(to, f));
    copied++;
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
  // The OpenAPI Generator JAR cache, like node_modules: installed once per checkout, not a build input.
  if (existsSync(join(REPO_ROOT, '.cache'))) symlinkSync(join(REPO_ROOT, '.cache'), join(to, '.cache'), 'dir');
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  // BENCHMARKS.md is this benchmark's own output, not a change to the pipeline's inputs.
  const dirty = execFileSync('git', ['status', '--porcelain', '--', '.', ':!BENCHMARKS.md'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== '';
  return { files: copied, commit, dirty };
}

function timeNpm(cwd: string, script: string, logFile: string): number {
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', script], { cwd, env, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t0;
  writeFileSync(logFile, `${r.stdout}\n${r.stderr}`);
  if (r.status !== 0) throw new Error(`npm run ${script} failed (${r.status ?? r.signal}) in the working-tree copy:\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n')}`);
  return ms;
}

/** Appends a marker to the first plain `summary:` line of the spec: a one-line edit every generated file reflects. */
function editSpec(root: string, marker: string): void {
  const file = join(root, SPEC);
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => /^\s+summary: [A-Za-z][^'"#:]*$/.test(l));
  if (i < 0) throw new Error(`${SPEC} has no plain "summary:" line to edit`);
  lines[i] = lines[i]!.replace(/( \(edit \d+\))?$/, ` (edit ${marker})`);
  writeFileSync(file, lines.join('\n'));
}

export const run: Bench = async (ctx) => {
  const root = join(ctx.tmpDir, 'repo');
  const tree = copyWorkingTree(root);
  ctx.log(`copied ${tree.files} files of the working tree (HEAD ${tree.commit}${tree.dirty ? ' plus uncommitted changes' : ''})`);
  const buildRuns = ctx.quick ? 1 : 3;
  const genRuns = ctx.quick ? 1 : 5;

  const build: number[] = [];
  for (let i = 0; i < buildRuns; i++) {
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    build.push(timeNpm(root, 'build', join(ctx.tmpDir, 'build.log')));
    ctx.log(`npm run build #${i + 1}: ${(build.at(-1)! / 1000).toFixed(1)} s`);
  }
  const generate: number[] = [];
  for (let i = 0; i < genRuns; i++) {
    editSpec(root, String(i + 1));
    generate.push(timeNpm(root, 'generate', join(ctx.tmpDir, 'generate.log')));
    // The figure only counts if the edit really reached the generated types.
    if (!readFileSync(join(root, 'generated', 'referrals.ts'), 'utf8').includes(`(edit ${i + 1})`)) {
      throw new Error(`npm run generate did not carry the edit "(edit ${i + 1})" into generated/referrals.ts`);
    }
    const apis = join(root, 'generated', 'typescript-fetch', 'apis');
    if (!readdirSync(apis).some((f) => readFileSync(join(apis, f), 'utf8').includes(`(edit ${i + 1})`))) {
      throw new Error(`npm run generate did not carry the edit "(edit ${i + 1})" into generated/typescript-fetch/apis/`);
    }
    ctx.log(`npm run generate #${i + 1}: ${(generate.at(-1)! / 1000).toFixed(1)} s`);
  }

  return {
    setup: [
      `Both run in a copy of the working tree (HEAD ${tree.commit}${tree.dirty ? ' plus the uncommitted changes present at the time' : ''}) in a temporary folder, with node_modules and the OpenAPI Generator JAR cache (.cache/) linked.`,
      `\`npm run build\` (fetch-generator, lint with openapi-generator validate, generate --check with the typescript-fetch client, package, docs, compile) from a clean dist/, ${buildRuns} runs.`,
      `\`npm run generate\` after appending " (edit N)" to one \`summary:\` line of ${SPEC}, a different edit each run, ${genRuns} runs; each run is checked to have carried the edit into generated/referrals.ts and generated/typescript-fetch/.`,
      'Wall time includes npm start-up. There is no peer to compare with, so these are plain medians.',
    ],
    rows: [
      { label: '`npm run build`', unit: 's', stat: summarize(build.map((ms) => ms / 1000)) },
      { label: '`npm run generate` after a one-line spec edit', unit: 's', stat: summarize(generate.map((ms) => ms / 1000)) },
    ],
    notes: [],
  };
};
