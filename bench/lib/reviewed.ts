/**
 * A miss reason read from the code is only as good as the code it was read from. `reviewed`
 * returns the reason as is while the file still has the content it was written against, and
 * says so plainly once the file has changed, instead of letting a stale explanation stand.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './proc.js';

export function reviewed(reason: string, file: string, sha256: string): string {
  const now = createHash('sha256').update(readFileSync(join(REPO_ROOT, file))).digest('hex');
  return now === sha256 ? reason : `${reason} [this reason was read from an earlier ${file} (sha256 ${sha256.slice(0, 8)}, now ${now.slice(0, 8)}): re-check it]`;
}
