// Output of the connector diff: text for people, JSON for tools, a Markdown changelog for release
// notes (Keep a Changelog sections).
import { RULE_BY_ID } from './rules.mjs';

const SECTIONS = ['Added', 'Changed', 'Deprecated', 'Removed'];

export function summarize(changes) {
  const count = (level) => changes.filter((c) => c.level === level).length;
  const [error, warning, info] = [count('error'), count('warning'), count('info')];
  return { error, warning, info, breaking: error + warning };
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(changes) {
  if (!changes.length) return 'no changes.';
  const s = summarize(changes);
  const breaking = s.breaking ? `${plural(s.breaking, 'breaking change')} (${s.error} error, ${s.warning} warning)` : 'nothing breaking';
  return `${breaking}, ${plural(s.info, 'other change')}.`;
}

/** One change as text: "LEVEL class path", then its message and fix, indented. */
export function changeText(c, indent = '') {
  const lines = [`${indent}${c.level.toUpperCase().padEnd(8)}${c.class}  ${c.path}`, `${indent}        ${c.message}`];
  if (c.fix) lines.push(`${indent}        Fix: ${c.fix}`);
  return lines.join('\n');
}

/** The whole report as text (what `npm run diff` prints). */
export function textReport({ oldSide, newSide, result }) {
  const out = [`old: ${oldSide.source}`, `new: ${newSide.source}`];
  out.push(`apiProperties.json compared: ${result.comparedApiProperties ? 'yes' : 'no'}`);
  for (const note of result.notes) out.push(`note: ${note}`);
  out.push('');
  // Breaking first, so the list that needs action comes before the changelog material.
  const ordered = [...result.changes.filter((c) => c.breaking), ...result.changes.filter((c) => !c.breaking)];
  for (const c of ordered) out.push(changeText(c));
  if (ordered.length) out.push('');
  out.push(summaryLine(result.changes));
  return `${out.join('\n')}\n`;
}

export function jsonReport({ oldSide, newSide, result }) {
  return `${JSON.stringify(
    {
      old: { source: oldSide.source },
      new: { source: newSide.source },
      apiPropertiesCompared: result.comparedApiProperties,
      summary: summarize(result.changes),
      changes: result.changes.map(({ section: _section, ...c }) => c),
      notes: result.notes,
    },
    null,
    2,
  )}\n`;
}

/** A change as one changelog line: what changed, where, and the detail. */
function changelogLine(c, reason) {
  const rule = RULE_BY_ID.get(c.class);
  const detail = c.detail ? ` (${c.detail})` : '';
  return `- ${rule.title}${detail}: \`${c.path}\`${reason ? `. ${reason}` : ''}`;
}

/**
 * Markdown for release notes. `reasons` maps a breaking change (class + " " + path) to the reason
 * its acknowledgement gives; breaking changes come first, under their own heading.
 */
export function changelog(changes, { heading = '##', reasons = new Map() } = {}) {
  const parts = [];
  const breaking = changes.filter((c) => c.breaking);
  if (breaking.length) {
    parts.push(`${heading} Breaking changes`, '', ...breaking.map((c) => changelogLine(c, reasons.get(`${c.class} ${c.path}`))), '');
  }
  for (const section of SECTIONS) {
    const items = changes.filter((c) => !c.breaking && c.section === section);
    if (items.length) parts.push(`${heading} ${section}`, '', ...items.map((c) => changelogLine(c)), '');
  }
  return parts.length ? parts.join('\n') : 'No changes.\n';
}
