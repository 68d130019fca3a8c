#!/usr/bin/env node
// `npm run diff:gate` (a step of `npm run build`): compares openapi/referrals.yaml and
// apiProperties.json with the last release (the newest v* tag reachable from HEAD, else
// openapi/baseline/) and fails on a breaking change that openapi/breaking-changes.yaml does not
// acknowledge, or that the npm version does not carry (a major bump: under 0.x, the minor). It
// prints the other changes as a changelog for the release notes.
//   --changelog   print only the Markdown changelog since the last release
//   --release     cut a release: after a passing check, copy the spec and apiProperties.json to
//                 openapi/baseline/ with package.json's version, and empty the acknowledgements
// Usage: node scripts/diff-gate.mjs [--changelog | --release] [--root <dir>]
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { diffConnectors } from './lib/diff/compare.mjs';
import { changeText, changelog, summaryLine } from './lib/diff/format.mjs';
import { ACK_FILE, BASELINE_DIR, RELEASE_FILE, ackSnippet, judge, lastRelease, loadAcknowledgements } from './lib/diff/gate.mjs';
import { API_PROPERTIES_FILE } from './lib/api-properties.mjs';
import { SideError, loadSide } from './lib/diff/load.mjs';
import { SPEC_FILE } from './lib/spec.mjs';
import { UserError, canonicalJson, parseCli, parseJsonFile, readText, runMain, writeIfChanged } from './lib/util.mjs';

const EMPTY_ACKS = `# Breaking changes since the last release, acknowledged. \`npm run diff:gate\` (a step of
# \`npm run build\`) fails on a breaking change that no entry here names. One entry per change:
#   - class: the change's class, as npm run diff:gate prints it (e.g. operation-deleted)
#     path: its path, as printed (a * stands for one path segment's worth, ** for anything)
#     change: what changed, as printed (e.g. "maxLength 2048, was none"), for the classes that
#       say it: the entry covers that change only, not a later one at the same path
#     reason: why existing flows and clients are not hurt, or how and when users were told
# \`npm run diff:gate -- --release\` empties the list when a release is cut.
acknowledged: []
`;

async function main() {
  const { root, changelog: onlyChangelog, release: cutRelease } = parseCli(process.argv.slice(2), { flags: ['changelog', 'release'] });
  if (onlyChangelog && cutRelease) throw new UserError('--changelog and --release exclude each other.');
  const last = lastRelease(root);
  let oldSide;
  let newSide;
  try {
    oldSide = await loadSide('old', last.spec, { root });
    newSide = await loadSide('new', undefined, { root });
  } catch (err) {
    if (err instanceof SideError) throw new UserError(`${err.message}\nFix: ${err.message.startsWith('old') ? `restore ${BASELINE_DIR}/ or the release tag` : `correct ${SPEC_FILE} or ${API_PROPERTIES_FILE} (npm run lint names the problem)`}.`);
    throw err;
  }
  const result = diffConnectors(oldSide, newSide);
  const acks = loadAcknowledgements(root);
  const current = parseJsonFile(readText(join(root, 'package.json'), 'package.json'), 'package.json')?.version;
  const verdict = judge(result.changes, acks, { released: last.version, current });
  const reasons = new Map(verdict.acknowledged.map(({ change, ack }) => [`${change.class} ${change.path}`, ack.reason.trim()]));
  const notes = [...last.notes, ...result.notes];

  if (onlyChangelog) {
    process.stdout.write(changelog(result.changes, { reasons }));
    return;
  }

  const out = [`diff:gate: ${SPEC_FILE} and ${API_PROPERTIES_FILE} against the last release, ${last.label}: ${summaryLine(result.changes)}`];
  for (const note of notes) out.push(`note: ${note}`);
  if (verdict.acknowledged.length) {
    out.push('', `Breaking, acknowledged in ${ACK_FILE}:`);
    for (const { change, ack } of verdict.acknowledged) out.push(`  ${change.level.toUpperCase().padEnd(8)}${change.class}  ${change.path}`, `          reason: ${ack.reason.trim()}`);
  }
  if (verdict.unacknowledged.length) {
    out.push('', `Breaking, NOT acknowledged (${verdict.unacknowledged.length}):`);
    for (const change of verdict.unacknowledged) out.push(changeText(change, '  '));
  }
  for (const ack of verdict.unused) out.push(`note: ${ack.where}: the acknowledgement of ${ack.class} ${ack.path}${ack.change === undefined ? '' : ` (${ack.change})`} matches no change any more; remove it.`);
  const others = result.changes.filter((c) => !c.breaking);
  if (others.length) out.push('', `Changelog since ${last.version} (non-breaking; \`npm run diff:gate -- --changelog\` prints all of it as Markdown):`, '', changelog(others, { heading: '###' }).trimEnd());
  process.stdout.write(`${out.join('\n')}\n`);

  const failures = [];
  if (verdict.unacknowledged.length) {
    failures.push(
      `${verdict.unacknowledged.length} breaking change(s) are not acknowledged. Fix: follow each Fix above, or, if the change is intended, add it to ${ACK_FILE} with the reason:\n${verdict.unacknowledged.map(ackSnippet).join('\n')}`,
    );
  }
  if (verdict.versionProblem) failures.push(verdict.versionProblem);
  if (failures.length) throw new UserError(failures.join('\n'));

  if (cutRelease) {
    if (!semver.gt(current, last.version)) throw new UserError(`package.json is ${current}, not newer than the last release ${last.version}.\nFix: bump "version" first (npm version <new version> --no-git-tag-version).`);
    mkdirSync(join(root, BASELINE_DIR), { recursive: true });
    copyFileSync(join(root, SPEC_FILE), join(root, BASELINE_DIR, 'referrals.yaml'));
    copyFileSync(join(root, API_PROPERTIES_FILE), join(root, BASELINE_DIR, 'apiProperties.json'));
    writeIfChanged(join(root, RELEASE_FILE), canonicalJson({ version: current, source: `${SPEC_FILE} and ${API_PROPERTIES_FILE} as released in ${current}; written by npm run diff:gate -- --release` }));
    writeIfChanged(join(root, ACK_FILE), EMPTY_ACKS);
    process.stdout.write(`diff:gate: ${BASELINE_DIR}/ is now release ${current} and ${ACK_FILE} is empty. Commit both, then tag the commit v${current}.\n`);
  }
}

runMain('diff:gate', main);
