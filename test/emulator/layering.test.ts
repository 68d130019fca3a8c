/** The core stays framework-free: no HTTP, no MSW, no Node built-ins (it also runs in browsers under MSW). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
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

/**
 * Type-checks the core as a browser library would be: DOM and ES2022 libs, no Node types. A
 * Node global (Buffer, process, require, __dirname) or a `node:` import, also one reached
 * through a dependency's types, is then an error, which an import scan alone cannot see.
 * `extra` adds in-memory files (used to prove the check fails when it should).
 */
function browserTypeErrors(extra: Record<string, string> = {}): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    resolveJsonModule: true,
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name in extra ? ts.createSourceFile(name, extra[name]!, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name in extra || fileExists.call(host, name);
  host.readFile = (name) => extra[name] ?? readFile.call(host, name);
  const roots = [...readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(coreDir, f)), ...Object.keys(extra)];
  const program = ts.createProgram(roots, options, host);
  const nodeTypes = program.getSourceFiles().filter((f) => f.fileName.includes('/@types/node/'));
  return [
    ...ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.slice(coreDir.length + 1) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
    ...nodeTypes.slice(0, 1).map((f) => `Node's types were loaded (${f.fileName}): something in the core pulls them in`),
  ];
}

describe('layering', () => {
  it('the core type-checks without Node: no node: imports and no Node globals', () => {
    expect(browserTypeErrors()).toEqual([]);
  });

  it('that check fails on a Node import or global, so it cannot pass vacuously', () => {
    const probe = join(coreDir, '__probe__.ts');
    const errors = browserTypeErrors({
      [probe]: "import { createServer } from 'node:http';\nexport const a = createServer;\nexport const b = Buffer.from('x');\nexport const c = process.env.HOME;\n",
    });
    expect(errors.join('\n')).toMatch(/__probe__\.ts: Cannot find module 'node:http'/);
    expect(errors.join('\n')).toMatch(/__probe__\.ts: Cannot find name 'Buffer'/);
    expect(errors.join('\n')).toMatch(/__probe__\.ts: Cannot find name 'process'/);
  });

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
