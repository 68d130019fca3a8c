#!/usr/bin/env node
// `npm run build`: every build step in order, each as its own process (so each stays runnable
// alone with the same behaviour), timing each and stopping at the first failure.
import { spawnSync } from 'node:child_process';
import { QUIET_ENV, REPO_ROOT, packageBin } from './lib/util.mjs';

const STEPS = [
  // The OpenAPI Generator JAR (Maven Central, once per machine) that lint and generate run.
  { name: 'fetch-generator', args: ['scripts/fetch-generator.mjs'] },
  // Errors only: warnings are reviewer guidance that accepted connectors break (openapi/rules/README.md).
  { name: 'lint', args: ['scripts/lint.mjs', '--allow-warnings'] },
  // Breaking changes against the last release must be acknowledged (scripts/lib/diff/README.md).
  { name: 'diff:gate', args: ['scripts/diff-gate.mjs'] },
  { name: 'generate --check', args: ['scripts/generate.mjs', '--check'] },
  { name: 'package', args: ['scripts/package.mjs'] },
  { name: 'docs', args: ['scripts/docs.mjs'] },
  // Same as `npx tsc -p tsconfig.build.json`, minus npx's start-up cost.
  { name: 'compile', args: [packageBin('typescript', 'tsc'), '-p', 'tsconfig.build.json'] },
];

const started = performance.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

for (const step of STEPS) {
  process.stdout.write(`\n== ${step.name}\n`);
  const t0 = performance.now();
  const result = spawnSync(process.execPath, step.args, { cwd: REPO_ROOT, stdio: 'inherit', env: QUIET_ENV });
  const took = seconds(performance.now() - t0);
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
    process.stderr.write(`build: step "${step.name}" failed (${why}) after ${took}.\n`);
    process.exit(1);
  }
  process.stdout.write(`== ${step.name}: ok (${took})\n`);
}
process.stdout.write(`\nbuild: all ${STEPS.length} steps passed in ${seconds(performance.now() - started)}.\n`);
