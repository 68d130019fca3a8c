/**
 * scripts/check-runtime-corpus.mjs (npm run runtime:corpus) on a tiny corpus: one package that
 * loads and behaves, one the runtime refuses, one whose instance loads but fails at run time,
 * one that is not JSON. The real corpus is never needed here.
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

const host = JSON.stringify({ templateId: 'dynamichosturl', title: 'Host', parameters: { 'x-ms-apimTemplateParameter.urlTemplate': "https://@connectionParameters('undeclared').example.test" } });

it('reports instances loaded and applied without anomaly per template, names refusals, exceptions and unreadable files, exits 1 on a refusal', async () => {
  // Comments and trailing commas are read (accepted packages carry them).
  pkg('good', `{ // lenient\n "properties": { "connectionParameters": { "k": { "type": "string" } }, "policyTemplateInstances": [${header(['GetA'])},] } }`);
  pkg('bad', `{ "properties": { "connectionParameters": { "k": { "type": "string" } }, "policyTemplateInstances": [${header(['GetA'])}, ${header(['Missing'])}] } }`);
  pkg('failing', `{ "properties": { "policyTemplateInstances": [${host}] } }`);
  pkg('broken', '{ "properties": ');
  const result = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['scripts/check-runtime-corpus.mjs', dir], { cwd: root }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('packages: 4 (2 loaded, 1 refused, 1 unreadable)');
  // good: 1 applied; bad: the first instance loads alone and is applied, the second is refused;
  // failing: loads, but its expression finds nothing at run time.
  expect(result.stdout).toContain('policy instances: 3 / 4 loaded; 2 / 3 applied without anomaly (66.7%)');
  expect(result.stdout).toContain('  setheader: 2 / 2 / 3');
  expect(result.stdout).toContain('  dynamichosturl: 0 / 1 / 1');
  expect(result.stdout).toMatch(/unreadable: broken\/apiProperties\.json: /);
  expect(result.stdout).toContain("refused: bad: apiProperties.json: policy 'Key' (policyTemplateInstances[1]), x-ms-apimTemplate-operationName: names operation 'Missing'");
  expect(result.stdout).toContain("exception: bad: policy 'Key' (setheader): not loaded: apiProperties.json: policy 'Key' (policyTemplateInstances[0]), x-ms-apimTemplate-operationName: names operation 'Missing'");
  expect(result.stdout).toContain("exception: failing: policy 'Host' (dynamichosturl): 1 anomalies on 1 operation(s); run: Policy 'Host' (dynamichosturl): the expression @connectionParameters('undeclared'): the request has no connection parameter 'undeclared'");
});
