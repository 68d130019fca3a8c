/** The core stays framework-free: no HTTP, no MSW, no Node built-ins (it also runs in browsers under MSW). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as mocks from '../../src/emulator/msw.js';

const coreDir = join(import.meta.dirname, '../../src/emulator/core');
const ALLOWED_PACKAGES = ['odata-v4-parser', 'fast-json-patch', 'ajv', 'ajv-formats'];
const SPEC = resolve(coreDir, '../../../generated/referrals.swagger.json');

function importsOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
}

describe('layering', () => {
  it('the core imports only its own files, the spec, and the OData/JSON Patch/ajv libraries', () => {
    const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offending: string[] = [];
    let total = 0;
    for (const file of files) {
      for (const s of importsOf(readFileSync(join(coreDir, file), 'utf8'))) {
        total++;
        if (s.startsWith('.')) {
          const target = resolve(dirname(join(coreDir, file)), s);
          if (!target.startsWith(`${coreDir}/`) && target !== SPEC) offending.push(`${file}: ${s}`);
        } else if (!ALLOWED_PACKAGES.includes(s)) {
          offending.push(`${file}: ${s}`);
        }
      }
    }
    expect(total).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });

  it('finds imports the way the check above relies on', () => {
    expect(importsOf("import { http } from 'msw';\nimport type { X } from './a.js';\nexport * from 'node:http';\nimport 'side';")).toEqual(['msw', './a.js', 'node:http', 'side']);
  });

  it('the mocks entry point re-exports the core for users', () => {
    expect(typeof mocks.createReferralsHandlers).toBe('function');
    expect(typeof mocks.ReferralsEmulator).toBe('function');
    expect(mocks.DEFAULT_BASE_URL).toBe('https://api.partner.microsoft.com');
  });
});
