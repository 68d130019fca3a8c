#!/usr/bin/env node
// `npm run bench`: the benchmarks are TypeScript (they import src/ directly, no build needed),
// so hand over to bench/main.ts under tsx, passing the arguments through.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
