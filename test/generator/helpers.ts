// Shared by the generator tests.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PATH holding only `node`: java, mvn and python3 are all missing. */
export function pathWithoutTools(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pcr-no-tools-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  return { path: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
