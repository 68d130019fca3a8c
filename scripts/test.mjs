#!/usr/bin/env node
// `npm test`: `vitest run <args>`, then `tsc` over the whole project: the type-level tests in
// test/types (lines that must not compile) and every test, bench and script-side TS file, so a
// test that no longer type-checks against the generated types fails here rather than silently.
// A script rather than `vitest run && tsc ...` in package.json so that
// `npm test -- <vitest options>` reaches vitest instead of being appended to the tsc command.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './lib/util.mjs';

const require = createRequire(import.meta.url);
function bin(pkg, name) {
  const pkgJson = require.resolve(`${pkg}/package.json`);
  const { bin: b } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  return join(dirname(pkgJson), typeof b === 'string' ? b : b[name]);
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const vitest = run([bin('vitest', 'vitest'), 'run', ...process.argv.slice(2)]);
if (vitest !== 0) process.exit(vitest);
process.exit(run([bin('typescript', 'tsc'), '-p', 'tsconfig.json']));
