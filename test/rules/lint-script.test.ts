// scripts/lint.mjs: Spectral (.spectral.yaml) + Redocly (redocly.yaml) on one spec file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, fixture } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lint-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lint = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/lint.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('scripts/lint.mjs', () => {
  it('fails on a broken copy of the project spec, printing file:line:col, rule, JSON path, message and fix', () => {
    const original = readFileSync(path.join(ROOT, 'openapi/referrals.yaml'), 'utf8');
    const broken = original.replace('operationId: GetAllReferrals', 'operationId: Get_All_Referrals');
    expect(broken).not.toBe(original);
    const file = path.join(dir, 'referrals.yaml');
    writeFileSync(file, broken);
    const line = broken.split('\n').findIndex(l => l.includes('Get_All_Referrals')) + 1;
    const column = (broken.split('\n')[line - 1] ?? '').indexOf('Get_All_Referrals') + 1;

    const run = lint(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `${file}:${line}:${column} OperationIdSanitized paths./referrals.get.operationId — operationId "Get_All_Referrals" must be letters and digits only (e.g. "GetAllReferrals"). Fix: Validator error OperationIdSanitized.`,
    );
    // OperationIdSanitized is a warning (accepted connectors use underscores): plain lint still fails on it.
    expect(run.stderr).toMatch(/0 error\(s\) and 1 warning\(s\)/);
  });

  it('with --allow-warnings (the build step), passes on a warning alone but still prints it', () => {
    const file = path.join(dir, 'allowed-warning.json');
    // CreateTask, not ListTasks: x-ms-dynamic-values calls ListTasks, and a call to a missing operation is an error.
    writeFileSync(file, JSON.stringify(fixture(doc => void (doc.paths['/tasks'].post.operationId = 'Create_Task')), null, 2));
    const run = lint(file, '--allow-warnings');
    expect(run.stdout).toMatch(/allowed-warning\.json:\d+:\d+ OperationIdSanitized paths\.\/tasks\.post\.operationId — /);
    expect(run.stderr).toMatch(/0 error\(s\) and [1-9]\d* warning\(s\).*passing, since --allow-warnings fails on errors only/);
    expect(run.status).toBe(0);
  });

  it('with --allow-warnings, still fails on an error (two operations sharing an operationId)', () => {
    const file = path.join(dir, 'error.json');
    writeFileSync(file, JSON.stringify(fixture(doc => void (doc.paths['/tasks'].post.operationId = doc.paths['/tasks'].get.operationId)), null, 2));
    const run = lint(file, '--allow-warnings');
    expect(run.stdout).toMatch(/error\.json:\d+:\d+ OperationIdNotUnique paths\.\/tasks\.post\.operationId — /);
    expect(run.stderr).toMatch(/[1-9] error\(s\)/);
    expect(run.status).toBe(1);
  });

  // The build's lint step (scripts/build.mjs runs lint with --allow-warnings) on copies of the project
  // spec: what no accepted connector does fails the build; the forms accepted connectors carry pass
  // it as warnings (openapi/rules/README.md, Calibration).
  const specWith = (name: string, pattern: RegExp, replacement: string) => {
    const original = readFileSync(path.join(ROOT, 'openapi/referrals.yaml'), 'utf8');
    const changed = original.replace(pattern, replacement);
    expect(changed).not.toBe(original);
    const file = path.join(dir, name);
    writeFileSync(file, changed);
    return file;
  };

  it.each([
    ['an unknown x-ms-visibility value', 'visibility-unknown.yaml', /x-ms-visibility: \w+/, 'x-ms-visibility: hidden', /InvalidVisibility \S+\.x-ms-visibility — x-ms-visibility "hidden" must be important, advanced, internal/],
    ['a host with a scheme', 'host-scheme.yaml', /^host: (\S+)$/m, 'host: https://$1', /HostInvalid host — host "https:\/\/[^"]+" contains a scheme/],
  ])('with --allow-warnings (the build step), fails on %s', (_what, name, pattern, replacement, line) => {
    const run = lint(specWith(name, pattern, replacement), '--allow-warnings');
    expect(run.stdout).toMatch(line);
    expect(run.stderr).toMatch(/[1-9]\d* error\(s\)/);
    expect(run.status).toBe(1);
  });

  it.each([
    ['a capitalised x-ms-visibility value', 'visibility-capitalised.yaml', /x-ms-visibility: important/, 'x-ms-visibility: Important', /VisibilityNotCanonical \S+\.x-ms-visibility — x-ms-visibility "Important" must be lower case/],
    ['an empty x-ms-visibility value', 'visibility-empty.yaml', /x-ms-visibility: important/, 'x-ms-visibility: ""', /VisibilityNotCanonical \S+\.x-ms-visibility — x-ms-visibility is empty/],
  ])('with --allow-warnings (the build step), passes on %s, which accepted connectors carry, as a warning', (_what, name, pattern, replacement, line) => {
    const run = lint(specWith(name, pattern, replacement), '--allow-warnings');
    expect(run.stdout).toMatch(line);
    expect(run.stderr).toMatch(/ 0 error\(s\) and [1-9]\d* warning\(s\).*passing, since --allow-warnings fails on errors only/);
    expect(run.status).toBe(0);
  });

  it('fails on a warning alone and names the warning rule', () => {
    const file = path.join(dir, 'warning.json');
    writeFileSync(file, JSON.stringify(fixture(doc => void (doc.paths['/tasks'].get.summary = 'List All Open Tasks')), null, 2));
    const run = lint(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/warning\.json:\d+:\d+ SummaryNotSentenceCase paths\.\/tasks\.get\.summary — summary "List All Open Tasks" is not in sentence case\. Fix: Write the operation `summary` in sentence case/);
    expect(run.stderr).toMatch(/0 error\(s\) and 1 warning\(s\)/);
  });

  it('reports Redocly problems in the same format', () => {
    const file = path.join(dir, 'redocly.json');
    writeFileSync(file, JSON.stringify(fixture(doc => void delete doc.paths['/trigger/tasks'].get.responses['401']), null, 2));
    const run = lint(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/redocly\.json:\d+:\d+ redocly\/operation-4xx-response paths\.\/trigger\/tasks\.get\.responses — .*4XX.*\. Fix: see https:\/\/redocly\.com\//);
  });

  it('fails on an openapi-generator validate warning, naming the spec location', () => {
    // An unused definition: a warning (never an error) for OpenAPI Generator, as for Spectral's oas2-unused-definition.
    const doc = fixture(d => void (d.definitions = { ...d.definitions, Orphan: { type: 'object', description: 'Nothing uses this.', properties: { a: { type: 'string', description: 'A field.' } } } }));
    const text = JSON.stringify(doc, null, 2);
    const file = path.join(dir, 'generator-warning.json');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex(l => l.includes('"Orphan"')) + 1;
    const run = lint(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`generator-warning\\.json:${line}:\\d+ openapi-generator/validate definitions\\.Orphan — Unused model: Orphan\\. Fix: correct the spec at this location`));
    expect(run.stderr).toMatch(/0 error\(s\) and \d+ warning\(s\)/);
  });

  it('reports an openapi-generator validate error at its operation', () => {
    const file = path.join(dir, 'generator-error.yaml');
    const original = readFileSync(path.join(ROOT, 'openapi/referrals.yaml'), 'utf8');
    // A second GetReferralById: Spectral also flags it; the generator's line must point at the same place.
    const broken = original.replace('operationId: UpdateReferralById', 'operationId: GetReferralById');
    expect(broken).not.toBe(original);
    writeFileSync(file, broken);
    const line = broken.split('\n').findIndex((l, i, all) => l.includes('operationId: GetReferralById') && all.slice(0, i).some(p => p.includes('operationId: GetReferralById'))) + 1;
    const run = lint(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`generator-error\\.yaml:${line}:\\d+ openapi-generator/validate paths\\./referrals/\\{id\\}\\.put\\.operationId — attribute paths\\.'/referrals/\\{id\\}'\\(put\\)\\.operationId is repeated`));
  });

  it('points an openapi-generator message about a named parameter at that parameter', () => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'generated/referrals.swagger.json'), 'utf8'));
    doc.paths['/referrals'].get.parameters.push({ name: 'untyped', in: 'query', description: 'No type.' });
    const index = doc.paths['/referrals'].get.parameters.length - 1;
    const text = JSON.stringify(doc, null, 2);
    const file = path.join(dir, 'generator-parameter.json');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex(l => l.includes('"untyped"'));
    const run = lint(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`generator-parameter.json:${line}:11 openapi-generator/validate paths./referrals.get.parameters.${index} — attribute paths.'/referrals'(get).[untyped].type is missing.`);
  });

  it('exits 0 with a one-line summary on a clean spec', () => {
    const file = path.join(dir, 'clean.json');
    writeFileSync(file, JSON.stringify(fixture(), null, 2));
    const run = lint(file);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^lint: .*clean\.json passes Spectral \.spectral\.yaml \+ Redocly redocly\.yaml \+ openapi-generator validate with no errors or warnings\.$/)]);
    expect(run.status).toBe(0);
  });

  it('names a missing file', () => {
    const run = lint(path.join(dir, 'nope.yaml'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nope\.yaml: file not found/);
  });
});
