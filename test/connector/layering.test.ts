/** The connector runtime stands alone: it must not reach into the emulator (the emulator CLI may use the runtime). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/connector-runtime');

it('imports nothing from src/emulator or src/client', () => {
  const offenders = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => `${f}: ${m[1]}`))
    .filter((line) => /\/(emulator|client)\//.test(line) || /\.\.\/(emulator|client|index)/.test(line));
  expect(offenders).toEqual([]);
});
