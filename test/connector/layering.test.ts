/** The connector runtime stands alone: it must not reach into the emulator (the emulator CLI may use the runtime). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/connector-runtime');

it('imports nothing from src/emulator or src/client', () => {
  const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => `${f}: ${m[1]}`))
    .filter((line) => /\/(emulator|client)\//.test(line) || /\.\.\/(emulator|client|index)/.test(line));
  expect(offenders).toEqual([]);
});

// npm start composes the emulator and the runtime in src/emulator/cli.ts alone; the emulator
// itself (core, HTTP and MSW adapters) may know the gateway's types but never runs the runtime.
it('the emulator uses the runtime only in cli.ts, the npm start composition (elsewhere type imports only)', () => {
  const emulator = join(import.meta.dirname, '../../src/emulator');
  const files = readdirSync(emulator, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'cli.ts');
  const offenders = files.flatMap((f) =>
    [...readFileSync(join(emulator, f), 'utf8').matchAll(/^import\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)].filter((m) => !m[1] && /connector-runtime/.test(m[2]!)).map((m) => `${f}: ${m[2]}`),
  );
  expect(files.length).toBeGreaterThan(3);
  expect(offenders).toEqual([]);
});
