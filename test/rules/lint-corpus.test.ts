// scripts/lint-corpus.mjs on test/rules/corpus: a handful of connector packages, one per case the
// real corpus holds (an error, a warning, a byte-order mark, comments and trailing commas, a file
// that is no JSON, a package nested deeper, a placeholder host with non-canonical visibilities).
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
// @ts-expect-error: plain ESM script without type declarations
import { readDefinition, replaceTable } from '../../scripts/lint-corpus.mjs';

const CORPUS = path.join(ROOT, 'test/rules/corpus');
const dir = mkdtempSync(path.join(tmpdir(), 'lint-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/lint-corpus.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SCARF_ANALYTICS: 'false' } });

/** The summary row of one rule: [severity, connectors flagged as error, as warning]. */
function row(stdout: string, rule: string): [string, number, number] | undefined {
  const line = stdout.split('\n').find(l => l.startsWith(`${rule} `));
  if (!line) return undefined;
  const [, severity, error, warn] = line.trim().split(/\s+/);
  return [severity!, Number(error), Number(warn)];
}

/** A repository root with this ruleset and README, so --write-readme edits a copy. */
function tempRoot(readme: string): string {
  const root = mkdtempSync(path.join(dir, 'root-'));
  cpSync(path.join(ROOT, '.spectral.yaml'), path.join(root, '.spectral.yaml'));
  cpSync(path.join(ROOT, 'openapi/rules'), path.join(root, 'openapi/rules'), { recursive: true });
  writeFileSync(path.join(root, 'openapi/rules/README.md'), readme);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

describe('scripts/lint-corpus.mjs', () => {
  const first = run(CORPUS, '--rule', 'OperationIdNotUnique');

  it('lints every definition below the folder and counts the unreadable one apart', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^lint:corpus: 6 definitions under .*: 5 linted, 1 unreadable \(counted apart\)\.$/m);
    expect(first.stdout).toMatch(/^unreadable: not-json: not JSON, even with comments and trailing commas allowed at line 2, column 1: /m);
  });

  it('counts, per rule, the connectors flagged as error and as warning (inherited spectral:oas rules too)', () => {
    expect(row(first.stdout, 'OperationIdNotUnique')).toEqual(['error', 1, 0]);
    expect(row(first.stdout, 'operation-operationId-unique')).toEqual(['error', 1, 0]);
    // The byte-order-mark package has operationId Get_Items: a warning, found after dropping the mark.
    expect(row(first.stdout, 'OperationIdSanitized')).toEqual(['warn', 0, 1]);
    // Rule counted once per connector, not per result: every package but dynamic-host lacks
    // x-ms-visibility on its operations (two in duplicate-id).
    expect(row(first.stdout, 'VisibilityMissing')).toEqual(['warn', 0, 4]);
    expect(row(first.stdout, 'PathItemRef')).toBeUndefined();
  });

  it('reads a byte-order mark and comments with trailing commas, and says so', () => {
    expect(first.stdout).toContain('tolerated: byte-order-mark: byte-order mark');
    expect(first.stdout).toContain('tolerated: json-with-comments: not strict JSON (comments or trailing commas), read as JSON5');
  });

  it('gives the share of connectors with any error', () => {
    expect(first.stdout).toMatch(/^connectors with any error: 1 of 5 linted \(20\.0%\); of all 6: 16\.7%\.$/m);
  });

  it('counts each warning per case of openapi/rules/cases.yaml, listing the cases no connector shows', () => {
    expect(first.stdout).toContain('cases of the warnings, connectors (results):');
    // dynamic-host: x-ms-visibility "" on a parameter and "Advanced" on its operation; no "none".
    expect(first.stdout).toMatch(/^ {2}VisibilityNotCanonical: empty value: 1 \(1\); capitalised value: 1 \(1\); none [^:]*: 0 \(0\)$/m);
    expect(first.stdout).toMatch(/^ {2}HostNotSet: empty or placeholder host \(dynamichosturl\): 1 \(1\)$/m);
    // A rule without declared cases is one case; an error has no cases line.
    expect(first.stdout).toMatch(/^ {2}operation-tags: all: 5 \(6\)$/m);
    expect(first.stdout).not.toMatch(/^ {2}OperationIdNotUnique:/m);
  });

  it('lists each result of the rules named with --rule', () => {
    expect(first.stdout).toMatch(/^OperationIdNotUnique: duplicate-id: paths\.\/b\.get\.operationId: operationId "GetItems" is already used by GET \/a$/m);
  });

  it('--write-readme rewrites only the calibration table, and a second run changes nothing', () => {
    const readme = ['# Rules', '', 'Before.', '', '<!-- lint:corpus table start (generated by `npm run lint:corpus -- <folder> --write-readme`) -->', 'stale', '<!-- lint:corpus table end -->', '', 'After.', ''].join('\n');
    const root = tempRoot(readme);
    const written = run(CORPUS, '--write-readme', '--root', root);
    expect(written.status).toBe(0);
    expect(written.stdout).toContain('openapi/rules/README.md updated.');
    const text = readFileSync(path.join(root, 'openapi/rules/README.md'), 'utf8');
    expect(text.startsWith('# Rules\n\nBefore.\n\n<!-- lint:corpus table start')).toBe(true);
    expect(text.endsWith('<!-- lint:corpus table end -->\n\nAfter.\n')).toBe(true);
    expect(text).not.toContain('stale');
    expect(text).toContain('Corpus: 6 connector definitions, 5 linted; 1 (20.0%) with any error.');
    expect(text).toContain('Errors come from: `OperationIdNotUnique` (1), `operation-operationId-unique` (1).');
    // An error has no "why" and no cases; a warning has both.
    expect(text).toMatch(/^\| `OperationIdNotUnique` \| error \| validator OperationIdNotUnique, \[doc\]\(https:\/\/learn\.microsoft\.com\/[^)]+\) \| 1 \| 0 \| {2}\| {2}\|$/m);
    expect(text).toMatch(/^\| `OperationIdSanitized` \| warn \| .* \| 0 \| 1 \| many certified connectors use underscores.* \| characters other than letters and digits: 1 \(1\) \|$/m);
    expect(text).toMatch(/^\| `VisibilityNotCanonical` \| warn \| .* \| 0 \| 1 \| .* \| empty value: 1 \(1\); capitalised value: 1 \(1\); none [^|]*: 0 \(0\) \|$/m);
    // An inherited rule made a warning carries the comment above its line in .spectral.yaml.
    expect(text).toMatch(/^\| `oas2-schema` \| warn \| spectral:oas, \[doc\]\(.*\) \| 0 \| 1 \| accepted connectors break the Swagger 2\.0 schema/m);
    expect(text).toMatch(/^\| `operation-tags` \| warn \| .* \| spectral:oas recommends it as a warning \| all: 5 \(6\) \|$/m);
    // OpenAPI 3 rules of spectral:oas never run on Swagger 2.0 definitions.
    expect(text).not.toContain('`oas3-schema`');
    const again = run(CORPUS, '--write-readme', '--root', root);
    expect(again.stdout).toContain('openapi/rules/README.md already up to date.');
    expect(readFileSync(path.join(root, 'openapi/rules/README.md'), 'utf8')).toBe(text);
  });

  it('--write-readme refuses a README without the table markers and leaves it as it was', () => {
    const root = tempRoot('# Rules\n\nNo table here.\n');
    const result = run(CORPUS, '--write-readme', '--root', root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/openapi\/rules\/README\.md: the calibration table markers are missing or repeated/);
    expect(readFileSync(path.join(root, 'openapi/rules/README.md'), 'utf8')).toBe('# Rules\n\nNo table here.\n');
  });

  it('shows a warning result that no declared case matches, and refuses a cases file naming no rule', () => {
    const root = tempRoot('<!-- lint:corpus table start (generated by `npm run lint:corpus -- <folder> --write-readme`) -->\n<!-- lint:corpus table end -->\n');
    const casesFile = path.join(root, 'openapi/rules/cases.yaml');
    writeFileSync(casesFile, "VisibilityNotCanonical:\n  - case: empty value\n    message: 'is empty'\n");
    const partial = run(CORPUS, '--root', root);
    expect(partial.status).toBe(0);
    expect(partial.stdout).toMatch(/^ {2}VisibilityNotCanonical: empty value: 1 \(1\); no case matches \(add one to cases\.yaml\): 1 \(1\)$/m);
    writeFileSync(casesFile, 'NoSuchRule:\n  - case: x\n    message: .\n');
    const unknown = run(CORPUS, '--root', root);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/cases\.yaml: NoSuchRule: no such rule in \.spectral\.yaml/);
    writeFileSync(casesFile, "HostNotSet:\n  - case: x\n    message: '('\n");
    const pattern = run(CORPUS, '--root', root);
    expect(pattern.status).toBe(1);
    expect(pattern.stderr).toMatch(/cases\.yaml: HostNotSet\[0\]\.message: Invalid regular expression/);
  });

  it('names a missing folder, a folder without definitions, a wrong rule name and a wrong argument count', () => {
    const missing = run(path.join(dir, 'nope'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope: folder not found/);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const none = run(empty);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/empty: no apiDefinition\.swagger\.json below this folder/);
    const noRuleset = run(CORPUS, '--root', empty);
    expect(noRuleset.status).toBe(1);
    expect(noRuleset.stderr).toMatch(/empty\/\.spectral\.yaml: ruleset not found/);
    const rule = run(CORPUS, '--rule', 'NoSuchRule');
    expect(rule.status).toBe(1);
    expect(rule.stderr).toMatch(/--rule NoSuchRule: no such rule/);
    // The rule name is checked before any file is linted, so it wins over the empty folder.
    const ruleFirst = run(empty, '--rule', 'NoSuchRule');
    expect(ruleFirst.stderr).toMatch(/--rule NoSuchRule: no such rule/);
    const count = run();
    expect(count.status).toBe(1);
    expect(count.stderr).toMatch(/expected one folder, got 0\.\nFix: usage: npm run lint:corpus -- <folder>/);
  });
});

describe('scripts/lint-corpus.mjs and remote $refs', () => {
  it('reports a remote $ref as unresolved without requesting it', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end('{"type": "object"}');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const folder = path.join(dir, 'remote-ref', 'remote');
      mkdirSync(folder, { recursive: true });
      const definition = JSON.parse(readFileSync(path.join(CORPUS, 'vendor/nested/apiDefinition.swagger.json'), 'utf8'));
      definition.paths['/a'].get.responses['200'].schema = { $ref: `http://127.0.0.1:${port}/schema.json` };
      writeFileSync(path.join(folder, 'apiDefinition.swagger.json'), JSON.stringify(definition));
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts/lint-corpus.mjs'), path.dirname(folder)], { cwd: ROOT });
      expect(row(stdout, 'invalid-ref')).toEqual(['error', 1, 0]);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('readDefinition and replaceTable', () => {
  it('names every tolerated deviation of a file, a byte-order mark and comments together', () => {
    const file = path.join(dir, 'bom-and-comments.json');
    writeFileSync(file, '\uFEFF{ // a comment\n "swagger": "2.0", }');
    const read = readDefinition(file);
    expect(read.note).toBe('byte-order mark; not strict JSON (comments or trailing commas), read as JSON5');
    expect(JSON.parse(read.text!)).toEqual({ swagger: '2.0' });
  });

  it('reports an unreadable path by its error', () => {
    expect(readDefinition(path.join(dir, 'absent.json')).unreadable).toMatch(/^cannot read: ENOENT/);
  });

  it('refuses repeated markers', () => {
    const start = '<!-- lint:corpus table start (generated by `npm run lint:corpus -- <folder> --write-readme`) -->';
    expect(() => replaceTable(`${start}\n${start}\n<!-- lint:corpus table end -->`, 'x')).toThrow(/missing or repeated/);
  });
});
