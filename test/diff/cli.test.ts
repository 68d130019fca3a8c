// `npm run diff` as a user runs it: files, folders and git refs in, exit codes 0/1/2 out, one
// line for bad input, text, JSON and changelog output.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { prerequisites } from '../prerequisites.js';
import { ROOT, definition, runScript, type Change } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'diff-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const items = (extra: Record<string, unknown> = {}) =>
  definition({
    paths: {
      '/items': { get: { operationId: 'ListItems', parameters: [{ name: 'q', in: 'query', type: 'string' }], responses: { '200': { description: 'OK' } } } },
      '/items/{id}': { get: { operationId: 'GetItem', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: { '200': { description: 'OK' } } } },
      ...extra,
    },
  });
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
};

const oldFile = write('old.json', items());
const sameFile = write('same.yaml', YAML.stringify(items()));
const withoutGetItem = items();
delete (withoutGetItem.paths as Record<string, unknown>)['/items/{id}'];
const deletedFile = write('deleted.json', withoutGetItem);
const addedFile = write('added.json', items({ '/things': { get: { operationId: 'ListThings', responses: { '200': { description: 'OK' } } } } }));

const diff = (...args: string[]) => runScript('diff.mjs', args);

describe('npm run diff', () => {
  it('says "no changes" and exits 0 for two identical definitions (JSON against YAML)', () => {
    const r = diff(oldFile, sameFile);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\nno changes\.\n$/);
    expect(r.stderr).toBe('');
  });

  it('exits 1 on a breaking change and names class, path, message and fix', () => {
    const r = diff(oldFile, deletedFile);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ERROR   operation-deleted  operation/GetItem\n        The operation has been deleted. Flows that use it stop working.\n        Fix: The operation is gone from the new definition: keep it and deprecate it instead: `deprecated: true`');
    expect(r.stdout).toMatch(/1 breaking change \(1 error, 0 warning\), 0 other changes\.\n$/);
  });

  it('exits 0 when the changes are not breaking, and lists them', () => {
    const r = diff(oldFile, addedFile);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('INFO    operation-added  operation/ListThings');
    expect(r.stdout).toMatch(/nothing breaking, 1 other change\.\n$/);
  });

  it('--json prints class, breaking, operationId, path, message and fix for other tools', () => {
    const r = diff(oldFile, deletedFile, '--json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { summary: Record<string, number>; changes: Change[]; old: { source: string } };
    expect(report.summary).toEqual({ error: 1, warning: 0, info: 0, breaking: 1 });
    expect(report.changes).toEqual([
      { class: 'operation-deleted', level: 'error', breaking: true, operationId: 'GetItem', path: 'operation/GetItem', message: expect.stringMatching(/^The operation has been deleted\./), fix: expect.stringContaining('x-ms-api-annotation') },
    ]);
    expect(report.old.source).toMatch(/old\.json$/);
  });

  it('--changelog prints Markdown release notes, breaking changes first', () => {
    const both = items({ '/things': { get: { operationId: 'ListThings', responses: { '200': { description: 'OK' } } } } });
    delete (both.paths as Record<string, unknown>)['/items/{id}'];
    const r = diff(oldFile, write('both.json', both), '--changelog');
    expect(r.stdout).toBe(['## Breaking changes', '', '- The operation has been deleted: `operation/GetItem`', '', '## Added', '', '- The operation has been added (GET /things): `operation/ListThings`', ''].join('\n'));
  });

  it('compares connector package folders, apiProperties.json included', () => {
    const pkg = (name: string, policies: unknown[]) => {
      const folder = join(dir, name);
      mkdirSync(folder);
      writeFileSync(join(folder, 'apiDefinition.swagger.json'), JSON.stringify(items()));
      writeFileSync(join(folder, 'apiProperties.json'), JSON.stringify({ properties: { policyTemplateInstances: policies } }));
      return folder;
    };
    const paging = { templateId: 'updatenextlink', title: 'Next', parameters: { 'x-ms-apimTemplate-operationName': ['ListItems'], 'x-ms-apimTemplateParameter.nextLinkPropertyName': 'next' } };
    const r = diff(pkg('pkg-old', [paging]), pkg('pkg-new', []));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('apiProperties.json compared: yes');
    expect(r.stdout).toContain('ERROR   policy-removed  operation/ListItems/policy/updatenextlink');
  });

  it('compares the working tree with itself through its folder: no changes', () => {
    const r = diff(ROOT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('new: working tree');
    expect(r.stdout).toMatch(/no changes\.\n$/);
  });

  describe('bad input: one line naming the side and why, exit 2', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['a missing old file', [join(dir, 'missing.json'), oldFile], /^diff: old side: ".*missing\.json" is no file or folder, and /],
      ['invalid JSON on the new side', [oldFile, write('bad.json', '{ "swagger": "2.0", ')], /^diff: new side: .*bad\.json: invalid JSON: not JSON, even with comments and trailing commas allowed at line 1, column \d+: /],
      ['invalid YAML', [write('bad.yaml', 'swagger: "2.0"\npaths: [\n'), oldFile], /^diff: old side: .*bad\.yaml: invalid YAML at line \d+, column \d+: /],
      ['a document that is no Swagger 2.0', [oldFile, write('oas3.json', { openapi: '3.0.3', paths: {} })], /^diff: new side: .*oas3\.json: not a Swagger 2.0 definition \("swagger" is undefined, expected "2\.0"\)$/],
      ['a git ref that does not exist', ['v9.9.9-does-not-exist'], /^diff: old side: "v9\.9\.9-does-not-exist" is no file or folder, and no git ref "v9\.9\.9-does-not-exist" in /],
      ['a folder without a definition', [dir + '/empty-folder'], /^diff: old side: .*empty-folder: the folder holds no connector definition/],
      ['no definition at all', [], /^diff: give one or two definitions to compare \(usage: npm run diff -- <old> \[<new>\]/],
    ];
    mkdirSync(join(dir, 'empty-folder'));
    it.each(cases)('%s', (_name, args, message) => {
      const r = diff(...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
    });
  });
});

// A throw-away repository with a release tag, so `npm run diff -- <tag>` runs as it will here.
const hasGit = spawnSync('git', ['--version']).status === 0;
if (prerequisites('npm run diff with git refs', [!hasGit && 'git (sudo apt-get install -y git)'])) {
  describe('npm run diff -- <tag>', () => {
    let repo: string;
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' });

    beforeAll(() => {
      repo = join(dir, 'repo');
      mkdirSync(join(repo, 'openapi'), { recursive: true });
      cpSync(join(ROOT, 'openapi/referrals.yaml'), join(repo, 'openapi/referrals.yaml'));
      cpSync(join(ROOT, 'apiProperties.json'), join(repo, 'apiProperties.json'));
      writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'x', version: '1.4.0' }));
      git('init', '-q');
      git('add', '.');
      git('commit', '-q', '-m', 'release');
      git('tag', 'v1.4.0');
      const spec = join(repo, 'openapi/referrals.yaml');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('operationId: GetReferralById', 'operationId: GetReferral'));
    });

    it('reads the spec and apiProperties.json at the tag and compares the working tree with it', () => {
      const r = diff('v1.4.0', '--root', repo);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^old: git ref v1\.4\.0 \([0-9a-f]{10}\)\nnew: working tree\napiProperties\.json compared: yes\n/);
      expect(r.stdout).toContain('ERROR   operation-renamed  operation/GetReferralById');
    });

    it('compares two refs with each other', () => {
      git('commit', '-q', '-am', 'rename');
      const r = diff('v1.4.0', 'HEAD', '--root', repo, '--json');
      expect(r.status).toBe(1);
      expect((JSON.parse(r.stdout) as { changes: Change[] }).changes.map((c) => c.class)).toEqual(['operation-renamed']);
    });
  });
}
