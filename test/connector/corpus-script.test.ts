/**
 * scripts/check-runtime-corpus.mjs (npm run runtime:corpus) on a tiny corpus: one package that
 * loads, one the runtime refuses, one that is not JSON. The real corpus is never needed here.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'runtime-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pkg(name: string, properties: string, definition: unknown = { swagger: '2.0', basePath: '/', paths: { '/a': { get: { operationId: 'GetA', responses: {} } } } }) {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'apiProperties.json'), properties);
  writeFileSync(join(dir, name, 'apiDefinition.swagger.json'), JSON.stringify(definition));
}

const header = (ops: string[]) =>
  JSON.stringify({ templateId: 'setheader', title: 'Key', parameters: { 'x-ms-apimTemplate-operationName': ops, 'x-ms-apimTemplateParameter.name': 'k', 'x-ms-apimTemplateParameter.value': "@connectionParameters('k')" } });

it('counts instances and expressions understood, names refusals and unreadable files, exits 1 on a refusal', async () => {
  // Comments and trailing commas are read (accepted packages carry them).
  pkg('good', `{ // lenient\n "properties": { "policyTemplateInstances": [${header(['GetA'])},] } }`);
  pkg('bad', `{ "properties": { "policyTemplateInstances": [${header(['GetA'])}, ${header(['Missing'])}] } }`);
  pkg('broken', '{ "properties": ');
  const result = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['scripts/check-runtime-corpus.mjs', dir], { cwd: root }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('packages: 3 (1 loaded, 1 refused, 1 unreadable)');
  expect(result.stdout).toContain('policy instances understood: 2 / 3 (66.7%)');
  expect(result.stdout).toContain('expressions understood: 2 / 3 (66.7%)');
  expect(result.stdout).toMatch(/unreadable: broken\/apiProperties\.json: /);
  expect(result.stdout).toContain("refused: bad: apiProperties.json: policy 'Key' (policyTemplateInstances[1]), x-ms-apimTemplate-operationName: names operation 'Missing'");
});
