import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this file with our package.json. The command line
 * and the emulator run from src/ (tsx) or dist/lib/src/ (the bin) and read generated/ and dist/
 * from the root.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'partner-center-referrals') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No partner-center-referrals package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
