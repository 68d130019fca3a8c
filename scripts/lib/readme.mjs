// Builds the connector readme.md from openapi/connector-readme.md: the `<!-- operations -->`
// marker becomes the list of the spec's operations, so the readme can never drift from the spec.
export const README_SOURCE = 'openapi/connector-readme.md';
const OPERATIONS_MARKER = '<!-- operations -->';

/** Sections the PowerPlatformConnectors repository expects in every connector readme. */
const REQUIRED_SECTIONS = [
  'Prerequisites',
  'Supported Operations',
  'Obtaining Credentials',
  'Getting Started',
  'Known Issues and Limitations',
  'Frequently Asked Questions',
  'Deployment Instructions',
];

const oneLine = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();

function entry(op) {
  const o = op.operation;
  const summary = oneLine(o.summary) || op.operationId;
  const deprecated = o.deprecated === true && !/deprecated/i.test(summary) ? ' (deprecated)' : '';
  const description = oneLine(o.description);
  return `- **${summary}**${deprecated} (\`${op.operationId}\`)${description ? `: ${description}` : ''}`;
}

/** Headings of a markdown text outside fenced code: [{ level, text, line }]. */
function headings(markdown) {
  const out = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = !fenced && /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) out.push({ level: m[1].length, text: m[2], line: i + 1 });
  });
  return out;
}

/** Problems of the readme source (missing marker, sections, publisher line, title). */
export function readmeProblems(source) {
  const problems = [];
  const hs = headings(source);
  const count = source.split(OPERATIONS_MARKER).length - 1;
  if (count !== 1) {
    problems.push(`${README_SOURCE}: the marker ${OPERATIONS_MARKER} appears ${count} times.\n  Fix: put it exactly once, under the "Supported Operations" heading.`);
  }
  if (!hs.some((h) => h.level === 1)) problems.push(`${README_SOURCE}: no "# Title" heading.\n  Fix: start with "# Partner Center Referrals" and 2-3 sentences.`);
  if (!/^Publisher:\s*\S/m.test(source)) problems.push(`${README_SOURCE}: no "Publisher: ..." line.\n  Fix: add a line "Publisher: <company>" under the title.`);
  for (const section of REQUIRED_SECTIONS) {
    if (!hs.some((h) => h.level >= 2 && h.text.toLowerCase() === section.toLowerCase())) {
      problems.push(`${README_SOURCE}: section "${section}" is missing.\n  Fix: add a "## ${section}" heading (PowerPlatformConnectors readme layout).`);
    }
  }
  return problems;
}

/** The readme with the marker replaced. Actions first, then triggers under their own heading. */
export function renderReadme(source, operations) {
  const markerLine = source.slice(0, source.indexOf(OPERATIONS_MARKER)).split('\n').length;
  const parent = headings(source).filter((h) => h.line < markerLine).pop();
  const sub = '#'.repeat(Math.min((parent?.level ?? 2) + 1, 6));
  const isTrigger = (op) => op.operation['x-ms-trigger'] !== undefined;
  const actions = operations.filter((op) => !isTrigger(op));
  const triggers = operations.filter(isTrigger);
  const block = [`${sub} Actions`, '', ...actions.map(entry)];
  if (triggers.length) block.push('', `${sub} Supported Triggers`, '', ...triggers.map(entry));
  return source.replace(OPERATIONS_MARKER, () => block.join('\n'));
}
