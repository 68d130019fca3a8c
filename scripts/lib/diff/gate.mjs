// The release gate: the spec against the last release, breaking changes against the committed
// acknowledgements, and the npm version against what a breaking change demands.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import YAML from 'yaml';
import { UserError, parseJsonFile, readText } from '../util.mjs';
import { git, isGitCheckout } from './load.mjs';
import { RULE_BY_ID } from './rules.mjs';

export const BASELINE_DIR = 'openapi/baseline';
export const RELEASE_FILE = `${BASELINE_DIR}/release.json`;
export const ACK_FILE = 'openapi/breaking-changes.yaml';

/**
 * The last release: the highest v<semver> tag reachable from HEAD when the checkout has one,
 * else the baseline committed under openapi/baseline (whose release.json names its version).
 * { spec (what loadSide reads), label, version, notes }
 */
export function lastRelease(root) {
  const notes = [];
  const baselineVersion = readBaselineVersion(root);
  if (isGitCheckout(root)) {
    const tags = git(root, ['tag', '--list', 'v*', '--merged', 'HEAD'])
      .split('\n')
      .map((t) => t.trim())
      .filter((t) => semver.valid(t.slice(1)));
    if (tags.length) {
      const tag = tags.sort((a, b) => semver.rcompare(a.slice(1), b.slice(1)))[0];
      const version = semver.valid(tag.slice(1));
      if (baselineVersion && baselineVersion !== version) {
        notes.push(`${RELEASE_FILE} says ${baselineVersion}, the newest tag is ${tag}: checkouts without tags compare with an older release (refresh it with npm run diff:gate -- --release at the tagged commit).`);
      }
      return { spec: tag, label: `git tag ${tag}`, version, notes };
    }
  }
  if (!baselineVersion) {
    throw new UserError(`no release to compare with: no v* tag in this checkout and no ${RELEASE_FILE}.\nFix: commit the released spec under ${BASELINE_DIR}/ (npm run diff:gate -- --release writes it), or fetch the tags.`);
  }
  return { spec: join(root, BASELINE_DIR), label: `${BASELINE_DIR}/ (release ${baselineVersion}; no v* tag in this checkout)`, version: baselineVersion, notes };
}

function readBaselineVersion(root) {
  const file = join(root, RELEASE_FILE);
  if (!existsSync(file)) return undefined;
  const { version } = parseJsonFile(readText(file, RELEASE_FILE), RELEASE_FILE) ?? {};
  if (!semver.valid(version)) throw new UserError(`${RELEASE_FILE}: "version" is ${JSON.stringify(version)}, not a semantic version.`);
  return version;
}

/** "operation/*\/parameter/**" -> RegExp: * is one path segment's worth, ** anything. */
function pathPattern(path) {
  const body = path
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * Reads openapi/breaking-changes.yaml: { acknowledged: [{ class, path, change?, reason }] }. Every
 * entry must name a breaking class, a path (exact, or with * and **) and a reason; anything else
 * is an error naming the line. `change` is the change as the gate prints it (its detail, such as
 * "maxLength 2048, was none"): an entry acknowledges that change only, so a later, different
 * change at the same path (a limit tightened further, another enum value removed) is not covered
 * by a reason written for the first one.
 */
export function loadAcknowledgements(root) {
  const file = join(root, ACK_FILE);
  if (!existsSync(file)) return [];
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(readFileSync(file, 'utf8'), { lineCounter, prettyErrors: false });
  const at = (node) => {
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return pos ? `${ACK_FILE}:${pos.line}` : ACK_FILE;
  };
  if (doc.errors.length) {
    const pos = lineCounter.linePos(doc.errors[0].pos[0]);
    throw new UserError(`${ACK_FILE}:${pos.line}:${pos.col}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  if (doc.contents === null) return [];
  if (!YAML.isMap(doc.contents)) throw new UserError(`${at(doc.contents)}: the file must be a mapping with one key, "acknowledged" (a list of {class, path, reason}).`);
  for (const pair of doc.contents.items) {
    const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== 'acknowledged') throw new UserError(`${at(pair.key)}: unknown key ${JSON.stringify(key)}; the file holds only "acknowledged".`);
  }
  const list = doc.get('acknowledged', true);
  if (list === undefined || list === null || (YAML.isScalar(list) && list.value === null)) return [];
  if (!YAML.isSeq(list)) throw new UserError(`${at(list)}: "acknowledged" must be a list of {class, path, reason}.`);
  const problems = [];
  const acks = [];
  list.items.forEach((item, i) => {
    const where = at(item);
    if (!YAML.isMap(item)) {
      problems.push(`${where}: entry ${i + 1} is not a mapping of class, path and reason.`);
      return;
    }
    const entry = item.toJSON();
    for (const key of Object.keys(entry)) if (!['class', 'path', 'change', 'reason'].includes(key)) problems.push(`${where}: unknown key "${key}" (use class, path, change, reason).`);
    if (entry.change !== undefined && (typeof entry.change !== 'string' || !entry.change.trim())) problems.push(`${where}: "change" must be the change as the gate prints it (e.g. maxLength 2048, was none).`);
    const rule = RULE_BY_ID.get(entry.class);
    if (!rule) problems.push(`${where}: class ${JSON.stringify(entry.class)} is not a change class (npm run diff prints them).`);
    else if (rule.level === 'info') problems.push(`${where}: class ${entry.class} is not breaking; only breaking changes are acknowledged.`);
    if (typeof entry.path !== 'string' || !entry.path.trim()) problems.push(`${where}: "path" is missing (the path npm run diff prints, e.g. operation/GetAllReferrals).`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 10) problems.push(`${where}: "reason" is missing or too short: say why existing flows and clients are not hurt, or how users were told.`);
    if (rule && typeof entry.path === 'string') acks.push({ ...entry, change: entry.change?.trim(), where, pattern: pathPattern(entry.path.trim()), used: false });
  });
  if (problems.length) throw new UserError(problems.join('\n'));
  return acks;
}

/** The smallest version a breaking change allows after `released`: outside npm's ^released. */
export function nextBreakingVersion(released) {
  const v = semver.parse(released);
  return semver.inc(released, v.major > 0 ? 'major' : v.minor > 0 ? 'minor' : 'patch');
}

/**
 * Applies the acknowledgements and the version rule.
 * Returns { acknowledged: [{change, ack}], unacknowledged: [change], unused: [ack], versionProblem }.
 */
export function judge(changes, acks, { released, current }) {
  const acknowledged = [];
  const unacknowledged = [];
  for (const change of changes.filter((c) => c.breaking)) {
    // The detail must match as well: an entry without one covers only changes that state none.
    const ack = acks.find((a) => a.class === change.class && a.pattern.test(change.path) && a.change === change.detail);
    if (ack) {
      ack.used = true;
      acknowledged.push({ change, ack });
    } else {
      unacknowledged.push(change);
    }
  }
  let versionProblem;
  if (!semver.valid(current)) versionProblem = `package.json "version" is ${JSON.stringify(current)}, not a semantic version.`;
  else if (semver.lt(current, released)) versionProblem = `package.json is ${current}, older than the last release ${released}.`;
  else if (acknowledged.length + unacknowledged.length && semver.satisfies(current, `^${released}`)) {
    const zero = semver.major(released) === 0 ? ` (below 1.0.0, npm's ^${released} accepts ${semver.minor(released) === 0 ? 'only that patch' : `every 0.${semver.minor(released)}.x`}, so the first non-zero part is the major one)` : '';
    versionProblem = `a breaking change needs a major version bump: package.json is ${current}, still inside ^${released}${zero}. Fix: set "version" to ${nextBreakingVersion(released)} or later (npm version ${nextBreakingVersion(released)} --no-git-tag-version).`;
  }
  return { acknowledged, unacknowledged, unused: acks.filter((a) => !a.used), versionProblem };
}

/** `text` as a YAML scalar, quoted only where a plain one could be misread. */
const quoteScalar = (text) => (/[\s:#'"{}[\],&*!|>%@`]|^$/.test(text) ? JSON.stringify(text) : text);

/** A YAML entry to paste into openapi/breaking-changes.yaml for one change. */
export function ackSnippet(change) {
  const detail = change.detail === undefined ? [] : [`    change: ${quoteScalar(change.detail)}`];
  return [`  - class: ${change.class}`, `    path: ${quoteScalar(change.path)}`, ...detail, '    reason: <why existing flows and clients are not hurt, or how and when users were told>'].join('\n');
}
