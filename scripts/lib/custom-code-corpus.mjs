// The custom-code section of `npm run runtime:corpus`: compiles the script.csx of every package
// under a folder with the connector runtime's harness (Mono's mcs against our ScriptBase) and
// names why each one that fails does not compile.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { compileScript, missingMono, SCRIPT_FILE } from '../../src/connector-runtime/custom-code/compile.ts';
import { findFiles } from './corpus.mjs';

/**
 * Known reasons, each tested on the source line the error points at. Mono's mcs takes C# up to
 * about 7 (toolchain facts); the platform compiles with Roslyn.
 */
const LIMITATIONS = [
  {
    test: (line, next, _d, previous) => /\busing\s+var\b/.test(line) || (/^\s*using\s*$/.test(line) && /^\s*var\b/.test(next)) || (/^\s*using\s*$/.test(previous) && /^\s*var\b/.test(line)),
    reason: 'Mono limitation: a C# 8 using declaration (`using var`), which mcs (C# 7) does not parse',
  },
  {
    test: (line) => /\b(string|object|[A-Z]\w*)\?\s+\w+\s*[{;=)]/.test(line),
    reason: 'Mono limitation: a C# 8 nullable reference annotation (`string?`), which mcs (C# 7) does not take',
  },
  {
    test: (_line, _next, d) => d.code === 'CS0841',
    reason: 'not valid C# for any compiler: CS0841, a local variable used before its declaration (Roslyn reports the same error)',
  },
];

function explain(diagnostic, source) {
  const lines = source.replace(/^\uFEFF/, '').split('\n');
  const line = lines[diagnostic.line - 1] ?? '';
  const next = lines[diagnostic.line] ?? '';
  const previous = lines[diagnostic.line - 2] ?? '';
  const known = LIMITATIONS.find((l) => l.test(line, next, diagnostic, previous));
  return known ? known.reason : `unexplained: ${diagnostic.code} ${diagnostic.message}`;
}

/** { scripts, compiled, failed: [{ name, at, reason }], unavailable? } for every script.csx under `root`. */
export function customCodeReport(root) {
  const report = { scripts: 0, compiled: 0, failed: [] };
  const missing = missingMono();
  if (missing) return { ...report, unavailable: missing };
  for (const file of findFiles(root, SCRIPT_FILE)) {
    report.scripts++;
    const name = relative(root, dirname(file));
    const source = readFileSync(file, 'utf8');
    try {
      compileScript(source);
      report.compiled++;
    } catch (err) {
      if (!err.diagnostics) {
        report.failed.push({ name, at: SCRIPT_FILE, reason: err.message });
        continue;
      }
      const first = err.diagnostics[0];
      report.failed.push({ name, at: `${join(name, SCRIPT_FILE)}:${first.line}:${first.column}`, reason: explain(first, source), errors: err.diagnostics.length });
    }
  }
  return report;
}

/** The section's lines for the text report. */
export function customCodeLines(report) {
  if (report.unavailable) return [`custom code: not compiled (${report.unavailable})`];
  const lines = [`custom code: ${report.compiled} / ${report.scripts} script.csx compile with Mono's mcs against the Learn page's ScriptBase (src/connector-runtime/custom-code)`];
  for (const f of report.failed) lines.push(`does not compile: ${f.at}: ${f.reason}`);
  return lines;
}
