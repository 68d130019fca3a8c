#!/usr/bin/env node
// `npm test`: `vitest run <args>`, then `tsc` over the whole project: the type-level tests in
// test/types (lines that must not compile) and every test, bench and script-side TS file, so a
// test that no longer type-checks against the generated types fails here rather than silently.
// A script rather than `vitest run && tsc ...` in package.json so that
// `npm test -- <vitest options>` reaches vitest instead of being appended to the tsc command.
import { spawnSync } from 'node:child_process';
import { REPO_ROOT, packageBin } from './lib/util.mjs';

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const vitest = run([packageBin('vitest', 'vitest'), 'run', ...process.argv.slice(2)]);
if (vitest !== 0) process.exit(vitest);
process.exit(run([packageBin('typescript', 'tsc'), '-p', 'tsconfig.json']));
