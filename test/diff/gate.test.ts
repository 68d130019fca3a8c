// The build gate (scripts/diff-gate.mjs): this project's spec against its last release, and the
// gate's verdicts on throw-away copies: an unacknowledged deletion fails, an acknowledged one
// needs a major version bump, a tag wins over the committed baseline, --release moves it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
// @ts-expect-error: plain ESM script without type declarations
import { ackSnippet, judge, loadAcknowledgements, nextBreakingVersion } from '../../scripts/lib/diff/gate.mjs';
import { prerequisites } from '../prerequisites.js';
import { ROOT, runScript } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'diff-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
/**
 * A root whose working tree is the release baseline itself, with no acknowledgement yet (so the
 * tests do not depend on what later changes the real spec carries), and not a git checkout (so
 * the baseline is the last release).
 */
function tempRoot(version = '0.1.0'): string {
  const root = join(dir, `root-${++copies}`);
  cpSync(join(ROOT, 'openapi/baseline'), join(root, 'openapi/baseline'), { recursive: true });
  cpSync(join(ROOT, 'openapi/baseline/referrals.yaml'), join(root, 'openapi/referrals.yaml'));
  cpSync(join(ROOT, 'openapi/baseline/apiProperties.json'), join(root, 'apiProperties.json'));
  writeFileSync(join(root, 'openapi/breaking-changes.yaml'), 'acknowledged: []\n');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'partner-center-referrals', version }));
  return root;
}

/** Edits the root's spec as a YAML document (anchors and comments kept). */
function editSpec(root: string, edit: (doc: YAML.Document) => void) {
  const file = join(root, 'openapi/referrals.yaml');
  const doc = YAML.parseDocument(readFileSync(file, 'utf8'));
  edit(doc);
  writeFileSync(file, doc.toString());
}
const deleteGetReferralById = (doc: YAML.Document) => {
  expect(doc.deleteIn(['paths', '/referrals/{id}', 'get'])).toBe(true);
};

function acknowledge(root: string, entries: Array<Record<string, string>>) {
  writeFileSync(join(root, 'openapi/breaking-changes.yaml'), YAML.stringify({ acknowledged: entries }));
}

const gate = (root: string, ...args: string[]) => {
  const r = runScript('diff-gate.mjs', ['--root', root, ...args]);
  return { ...r, output: `${r.stdout}\n${r.stderr}` };
};

describe('this project', () => {
  it('has no unacknowledged breaking change against its last release, and no stale acknowledgement', () => {
    const r = runScript('diff-gate.mjs', []);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^diff:gate: openapi\/referrals\.yaml and apiProperties\.json against the last release, /);
    expect(r.stdout).not.toContain('matches no change any more');
  });

  it('keeps a baseline with its release version, which the gate reads when there is no tag', () => {
    const release = JSON.parse(readFileSync(join(ROOT, 'openapi/baseline/release.json'), 'utf8')) as { version: string };
    expect(release.version).toMatch(/^\d+\.\d+\.\d+/);
    const r = gate(tempRoot(release.version));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`against the last release, openapi/baseline/ (release ${release.version}; no v* tag in this checkout): no changes.`);
  });
});

describe('the gate', () => {
  it('fails on an unacknowledged deletion, names it, and prints the entry to acknowledge it', () => {
    const root = tempRoot();
    editSpec(root, deleteGetReferralById);
    const r = gate(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Breaking, NOT acknowledged (1):\n  ERROR   operation-deleted  operation/GetReferralById\n          The operation has been deleted.');
    expect(r.stderr).toContain('diff:gate: error: 1 breaking change(s) are not acknowledged.');
    expect(r.stderr).toContain('  - class: operation-deleted\n    path: operation/GetReferralById\n    reason: <why existing flows and clients are not hurt');
    expect(r.stderr).toContain('a breaking change needs a major version bump: package.json is 0.1.0, still inside ^0.1.0');
  });

  it('passes an acknowledged deletion only with a major bump (under 0.x, the minor), and prints its reason', () => {
    const root = tempRoot();
    editSpec(root, deleteGetReferralById);
    acknowledge(root, [{ class: 'operation-deleted', path: 'operation/GetReferralById', reason: 'Deprecated in 0.1.0 with 30 days notice; GetAllReferrals with $filter replaces it.' }]);
    const before = gate(root);
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/^diff:gate: error: a breaking change needs a major version bump: .* Fix: set "version" to 0\.2\.0 or later/);
    expect(before.stdout).not.toContain('NOT acknowledged');

    const pkg = join(root, 'package.json');
    writeFileSync(pkg, readFileSync(pkg, 'utf8').replace('0.1.0', '0.2.0'));
    const after = gate(root);
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
    expect(after.stdout).toContain('Breaking, acknowledged in openapi/breaking-changes.yaml:\n  ERROR   operation-deleted  operation/GetReferralById\n          reason: Deprecated in 0.1.0');
  });

  it('accepts * and ** in acknowledged paths, and notes an entry that matches nothing', () => {
    const root = tempRoot('0.2.0');
    editSpec(root, (doc) => doc.setIn(['parameters', 'Filter', 'minLength'], 1));
    acknowledge(root, [
      { class: 'input-constraint-tightened', path: 'operation/*/parameter/$filter/**', change: 'minLength 1, was none', reason: 'The API refuses an empty $filter already (400).' },
      { class: 'output-field-deleted', path: 'operation/GetAllReferrals/**', reason: 'A stale entry that matches no change.' },
    ]);
    const r = gate(root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  WARNING input-constraint-tightened  operation/GetAllReferrals/parameter/$filter/minLength\n          reason: The API refuses an empty $filter already (400).');
    expect(r.stdout).toMatch(/note: openapi\/breaking-changes\.yaml:\d+: the acknowledgement of output-field-deleted operation\/GetAllReferrals\/\*\* matches no change any more; remove it\./);
  });

  it('acknowledges only the change an entry names: a later, different change at the same path fails again', () => {
    const root = tempRoot('0.2.0');
    editSpec(root, (doc) => doc.setIn(['parameters', 'Filter', 'maxLength'], 2048));
    const first = gate(root);
    expect(first.status).toBe(1);
    // The entry to paste names the change, as printed, besides its class and path.
    expect(first.stderr).toContain('  - class: input-constraint-tightened\n    path: operation/GetAllReferrals/parameter/$filter/maxLength\n    change: "maxLength 2048, was none"\n    reason: <');
    acknowledge(root, [
      { class: 'input-constraint-tightened', path: 'operation/*/parameter/$filter/maxLength', change: 'maxLength 2048, was none', reason: 'Values over 2048 characters were answered 400 already.' },
    ]);
    expect(gate(root).status).toBe(0);
    // Tightened further before the release: the reason above no longer holds, so the entry must not cover it.
    editSpec(root, (doc) => doc.setIn(['parameters', 'Filter', 'maxLength'], 100));
    const later = gate(root);
    expect(later.status).toBe(1);
    expect(later.stdout).toContain('Breaking, NOT acknowledged (1):\n  WARNING input-constraint-tightened  operation/GetAllReferrals/parameter/$filter/maxLength\n');
    expect(later.stdout).toMatch(/note: openapi\/breaking-changes\.yaml:\d+: the acknowledgement of input-constraint-tightened operation\/\*\/parameter\/\$filter\/maxLength \(maxLength 2048, was none\) matches no change any more; remove it\./);
  });

  it('accepts the entry it prints as written, whatever the change says (quotes, arrows, colons)', () => {
    const changes = [{ class: 'output-type-changed', path: 'operation/Get Item/responses/200/schema/"id"', detail: 'string → integer: "a" or 1', breaking: true }];
    const root = join(dir, `root-${++copies}`);
    mkdirSync(join(root, 'openapi'), { recursive: true });
    writeFileSync(join(root, 'openapi/breaking-changes.yaml'), `acknowledged:\n${ackSnippet(changes[0]).replace(/<why[^>]*>/, 'Announced in the 0.1.0 release notes.')}\n`);
    const verdict = judge(changes, loadAcknowledgements(root), { released: '0.1.0', current: '0.2.0' });
    expect(verdict.unacknowledged).toEqual([]);
    expect(verdict.acknowledged).toHaveLength(1);
  });

  it('does not let an entry without the change it names acknowledge a change that states one', () => {
    const changes = [{ class: 'input-enum-value-removed', path: 'operation/CreateReferral/parameter/body/schema/qualification/enum', detail: 'removed: Direct', breaking: true }];
    const acks = [{ class: 'input-enum-value-removed', path: 'operation/CreateReferral/parameter/body/schema/*/enum', pattern: /^operation\/CreateReferral\/parameter\/body\/schema\/[^/]*\/enum$/, reason: 'status and substatus of a new referral', used: false }];
    expect(judge(changes, acks, { released: '0.1.0', current: '0.2.0' }).unacknowledged).toEqual(changes);
  });

  it('prints the non-breaking changes as a changelog and passes', () => {
    const root = tempRoot();
    editSpec(root, (doc) => {
      const params = doc.getIn(['paths', '/referrals', 'get', 'parameters']) as YAML.YAMLSeq;
      params.add(doc.createNode({ name: 'includeArchived', in: 'query', type: 'boolean', description: 'Archived ones too.' }));
    });
    const r = gate(root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Changelog since 0.1.0 (non-breaking;');
    expect(r.stdout).toContain('### Added\n\n- The optional input field has been added: `operation/GetAllReferrals/parameter/includeArchived`');
    const md = gate(root, '--changelog');
    expect(md.stdout).toBe('## Added\n\n- The optional input field has been added: `operation/GetAllReferrals/parameter/includeArchived`\n');
  });

  it('refuses a malformed acknowledgement, naming the line', () => {
    const root = tempRoot();
    writeFileSync(join(root, 'openapi/breaking-changes.yaml'), 'acknowledged:\n  - class: operation-removed\n    path: operation/X\n  - class: operation-added\n    path: operation/Y\n    reason: not breaking at all\n');
    const r = gate(root);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('openapi/breaking-changes.yaml:2: class "operation-removed" is not a change class');
    expect(r.stderr).toContain('openapi/breaking-changes.yaml:2: "reason" is missing or too short');
    expect(r.stderr).toContain('openapi/breaking-changes.yaml:4: class operation-added is not breaking; only breaking changes are acknowledged.');
    writeFileSync(join(root, 'openapi/breaking-changes.yaml'), 'acknowledge:\n  - class: operation-deleted\n');
    expect(gate(root).stderr).toContain('openapi/breaking-changes.yaml:1: unknown key "acknowledge"; the file holds only "acknowledged".');
  });

  it('refuses an unreadable release.json or package.json with one line naming the file, and where', () => {
    const root = tempRoot();
    const release = join(root, 'openapi/baseline/release.json');
    writeFileSync(release, '{\n  "version": "0.1.0",\n}\n');
    const broken = gate(root);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^diff:gate: error: openapi\/baseline\/release\.json:3:1: invalid JSON: /);
    writeFileSync(release, JSON.stringify({ version: 'one' }));
    expect(gate(root).stderr).toBe('diff:gate: error: openapi/baseline/release.json: "version" is "one", not a semantic version.\n');
    writeFileSync(release, JSON.stringify({ version: '0.1.0' }));
    rmSync(join(root, 'package.json'));
    const noPackage = gate(root);
    expect(noPackage.status).toBe(1);
    expect(noPackage.stderr).toMatch(/^diff:gate: error: package\.json: file not found \(/);
  });

  it('--release moves the baseline to the working tree, with package.json\'s version, and empties the acknowledgements', () => {
    const root = tempRoot('0.2.0');
    editSpec(root, deleteGetReferralById);
    acknowledge(root, [{ class: 'operation-deleted', path: 'operation/GetReferralById', reason: 'Deprecated for 30 days, announced in 0.1.0 release notes.' }]);
    const r = gate(root, '--release');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('diff:gate: openapi/baseline/ is now release 0.2.0 and openapi/breaking-changes.yaml is empty. Commit both, then tag the commit v0.2.0.');
    expect(readFileSync(join(root, 'openapi/baseline/referrals.yaml'), 'utf8')).toBe(readFileSync(join(root, 'openapi/referrals.yaml'), 'utf8'));
    expect(JSON.parse(readFileSync(join(root, 'openapi/baseline/release.json'), 'utf8'))).toMatchObject({ version: '0.2.0' });
    expect(YAML.parse(readFileSync(join(root, 'openapi/breaking-changes.yaml'), 'utf8'))).toEqual({ acknowledged: [] });
    const next = gate(root);
    expect(next.status).toBe(0);
    expect(next.stdout).toContain('(release 0.2.0; no v* tag in this checkout): no changes.');
    expect(gate(root, '--release').stderr).toContain('package.json is 0.2.0, not newer than the last release 0.2.0');
  });
});

describe('the version rule', () => {
  const breaking = [{ class: 'operation-deleted', path: 'operation/X', breaking: true }];
  const verdict = (released: string, current: string) => judge(breaking, [], { released, current }).versionProblem as string | undefined;

  it('takes a breaking change out of npm\'s caret range of the release', () => {
    expect(nextBreakingVersion('0.1.0')).toBe('0.2.0');
    expect(nextBreakingVersion('0.1.7')).toBe('0.2.0');
    expect(nextBreakingVersion('0.0.3')).toBe('0.0.4');
    expect(nextBreakingVersion('1.4.2')).toBe('2.0.0');
    expect(verdict('0.1.0', '0.1.9')).toContain('set "version" to 0.2.0 or later');
    expect(verdict('0.1.0', '0.2.0')).toBeUndefined();
    expect(verdict('0.1.0', '0.2.0-beta.1')).toBeUndefined();
    expect(verdict('1.4.2', '1.9.0')).toContain('set "version" to 2.0.0 or later');
    expect(verdict('1.4.2', '2.0.0')).toBeUndefined();
  });

  it('asks nothing of a release without breaking changes, but refuses going backwards', () => {
    expect(judge([], [], { released: '0.1.0', current: '0.1.0' }).versionProblem).toBeUndefined();
    expect(judge([], [], { released: '0.2.0', current: '0.1.0' }).versionProblem).toBe('package.json is 0.1.0, older than the last release 0.2.0.');
  });
});

const hasGit = spawnSync('git', ['--version']).status === 0;
if (prerequisites('the gate with a release tag', [!hasGit && 'git (sudo apt-get install -y git)'])) {
  describe('the gate in a checkout with a v* tag', () => {
    it('compares with the newest v* tag reachable from HEAD, not the older baseline', () => {
      const root = tempRoot('0.3.0');
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: root, stdio: 'pipe' });
      git('init', '-q');
      // The release tagged v0.3.0 already lacks GetReferralById; the baseline (0.1.0) still has it.
      editSpec(root, deleteGetReferralById);
      git('add', '.');
      git('commit', '-q', '-m', 'release 0.3.0');
      git('tag', 'v0.3.0');
      git('tag', 'v0.2.0');
      git('tag', 'vnext');
      mkdirSync(join(root, 'scratch'));
      const r = gate(root);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/against the last release, git tag v0\.3\.0: no changes\./);
      expect(r.stdout).toContain('note: openapi/baseline/release.json says 0.1.0, the newest tag is v0.3.0');
    });
  });
}
