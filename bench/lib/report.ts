/**
 * The benchmark report: one model, rendered as a plain-text table for the terminal and as
 * BENCHMARKS.md. Pure functions, so the formatting and the met/missed verdicts are unit-tested.
 */
import type { Stat } from './stats.js';

export type Unit = 'ms' | 's' | 'µs' | 'B' | 'req/s' | 'x' | 'calls' | 'count' | 'MB/s';

export interface Target {
  op: '<=' | '>=' | '==';
  value: number;
  /**
   * What must meet it: the median (default; for timings and ratios), or every run (for counts
   * such as 429s, where one bad run among good ones is still a miss).
   */
  over?: 'median' | 'every run';
}

export interface Row {
  label: string;
  unit: Unit;
  stat: Stat;
  target?: Target;
  /** Caveat, or for a missed target the reason it is missed. */
  note?: string;
}

export interface Section {
  /** Stable key, e.g. "client-overhead". */
  id: string;
  title: string;
  /** How the figures were produced (sizes, durations, scaling). */
  setup: string[];
  rows: Row[];
  notes: string[];
  elapsedMs?: number;
  /** Set when the benchmark crashed: shown instead of hiding the section. */
  error?: string;
}

export interface Machine {
  cpus: number;
  model: string;
  node: string;
  platform: string;
  memoryGB: number;
}

export interface Report {
  date: Date;
  command: string;
  machine: Machine;
  totalMs: number;
  /** Upper bound the whole run must stay under (the issue asks for 10 minutes on 2 cores). */
  budgetMs: number;
  sections: Section[];
}

export type Status = 'met' | 'missed' | '';

export function status(row: Row): Status {
  const t = row.target;
  if (!t) return '';
  const meets = (v: number) => (t.op === '<=' ? v <= t.value : t.op === '>=' ? v >= t.value : v === t.value);
  const { median, min, max } = row.stat;
  const ok = t.over === 'every run' ? meets(min) && meets(max) : meets(median);
  return ok ? 'met' : 'missed';
}

const group = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Three significant digits without exponent notation, e.g. 0.0123, 1.23, 123, 12,345. */
function sig3(n: number): string {
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 100) return group(n);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(a)));
  return n.toFixed(Math.min(digits, 6));
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'x':
      return `${value >= 0.1 ? value.toFixed(2) : sig3(value)}×`;
    case 'B':
      return `${group(value)} B`;
    case 'calls':
    case 'count':
      return group(value);
    case 'req/s':
      return `${value >= 100 ? group(value) : sig3(value)} req/s`;
    default:
      return `${sig3(value)} ${unit}`;
  }
}

export function formatTarget(target: Target | undefined, unit: Unit): string {
  if (!target) return '';
  const op = { '<=': '≤', '>=': '≥', '==': '=' }[target.op];
  const every = target.over === 'every run' ? ' in every run' : '';
  if (unit === 'B' && target.value % 1024 === 0) return `${op} ${target.value / 1024} KB (${group(target.value)} B)${every}`;
  return `${op} ${formatValue(target.value, unit)}${every}`;
}

export function formatStatus(row: Row): string {
  const s = status(row);
  if (s === 'missed') return `MISSED: ${row.note ?? 'reason not recorded'}`;
  return s;
}

interface Cells {
  section: string;
  label: string;
  median: string;
  min: string;
  max: string;
  runs: string;
  target: string;
  status: string;
}

function cells(section: Section, row: Row): Cells {
  return {
    section: section.title,
    label: row.label,
    median: formatValue(row.stat.median, row.unit),
    min: formatValue(row.stat.min, row.unit),
    max: formatValue(row.stat.max, row.unit),
    runs: String(row.stat.runs),
    target: formatTarget(row.target, row.unit),
    status: formatStatus(row),
  };
}

const COLUMNS: [keyof Cells, string][] = [
  ['label', 'Figure'],
  ['median', 'Median'],
  ['min', 'Min'],
  ['max', 'Max'],
  ['runs', 'Runs'],
  ['target', 'Target'],
  ['status', 'Status'],
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function machineLine(m: Machine): string {
  return `${m.cpus} CPUs (${m.model}), ${m.memoryGB.toFixed(1)} GB RAM, Node ${m.node}, ${m.platform}`;
}

/** Aligned plain-text table for the terminal. */
export function renderText(report: Report): string {
  const out: string[] = [];
  for (const section of report.sections) {
    out.push('', `${section.title}${section.elapsedMs === undefined ? '' : ` (${seconds(section.elapsedMs)})`}`);
    if (section.error) {
      out.push(`  FAILED: ${section.error}`);
      continue;
    }
    const rows = section.rows.map((r) => cells(section, r));
    const widths = COLUMNS.map(([k, title]) => Math.max(title.length, ...rows.map((r) => r[k].length)));
    const line = (values: string[]) => `  ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : i < 5 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ')}`.trimEnd();
    out.push(line(COLUMNS.map(([, t]) => t)));
    for (const r of rows) out.push(line(COLUMNS.map(([k]) => r[k])));
  }
  out.push('', `${report.command} on ${machineLine(report.machine)}: ${seconds(report.totalMs)} in total.`);
  return out.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const NUMERIC = new Set(['Median', 'Min', 'Max', 'Runs']);

function mdTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((h) => (NUMERIC.has(h) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(md).join(' | ')} |`),
  ];
}

const mdStatus = (row: Row): string => {
  const st = status(row);
  return st === 'missed' ? `**MISSED**: ${row.note ?? 'reason not recorded'}` : st;
};

export function renderMarkdown(report: Report): string {
  const targets = report.sections.flatMap((s) => (s.error ? [] : s.rows.filter((r) => r.target).map((r) => ({ s, r }))));
  const missed = targets.filter(({ r }) => status(r) === 'missed');
  const failed = report.sections.filter((s) => s.error);
  const out = [
    '# Benchmarks',
    '',
    `<!-- Written by \`${report.command}\` (bench/run.mjs). Do not edit by hand: the next run replaces this file. -->`,
    '',
    `- Command: \`${report.command}\``,
    `- Date: ${report.date.toISOString()}`,
    `- Machine: ${machineLine(report.machine)}`,
    `- Total time: ${seconds(report.totalMs)} (budget ${seconds(report.budgetMs)}: ${report.totalMs <= report.budgetMs ? 'met' : 'MISSED'})`,
    `- Targets: ${targets.length - missed.length} of ${targets.length} met${missed.length ? `; missed: ${missed.map(({ r }) => r.label).join('; ')}` : ''}${failed.length ? `; benchmarks that failed: ${failed.map((s) => s.title).join(', ')}` : ''}`,
    '',
    'Every figure is the median of its runs, with the minimum and maximum. A ratio (×) is computed',
    'run by run from two measurements taken back to back in the same process, then summarised, so',
    'drift of the shared machine between runs does not leak into it. Targets are judged on the median,',
    'except those marked "in every run", which every run must meet.',
    '',
    '## Targets',
    '',
    ...mdTable(
      ['Benchmark', 'Figure', 'Median', 'Min', 'Max', 'Target', 'Status'],
      targets.map(({ s, r }) => {
        const c = cells(s, r);
        return [s.title, c.label, c.median, c.min, c.max, c.target, mdStatus(r)];
      }),
    ),
  ];
  for (const section of report.sections) {
    out.push('', `## ${section.title}`, '');
    if (section.elapsedMs !== undefined) out.push(`Took ${seconds(section.elapsedMs)}.`, '');
    if (section.setup.length) out.push(...section.setup.map((s) => `- ${s}`), '');
    if (section.error) {
      out.push(`**FAILED**: ${section.error}`);
      continue;
    }
    out.push(
      ...mdTable(
        COLUMNS.map(([, t]) => t),
        section.rows.map((r) => {
          const c = cells(section, r);
          const note = status(r) !== 'missed' && r.note ? ` (${r.note})` : '';
          return [c.label + note, c.median, c.min, c.max, c.runs, c.target, mdStatus(r)];
        }),
      ),
    );
    if (section.notes.length) out.push('', ...section.notes.map((n) => `- ${n}`));
  }
  return `${out.join('\n')}\n`;
}

const targetRow = (line: string) => line.startsWith('| ') && !line.startsWith('| Benchmark |') && !line.startsWith('|---');

/**
 * BENCHMARKS.md after a run of some benchmarks (`--only <ids> --merge`): each section of
 * `partial` replaces its earlier version (or comes last), its target rows replace theirs in
 * the Targets table, the Targets count is recounted, and the header says what was merged when.
 * Everything else stays as the last full run wrote it.
 */
export function mergeMarkdown(existing: string, partial: Report): string {
  const fresh = renderMarkdown(partial);
  let out = existing;
  for (const section of partial.sections) {
    const heading = `## ${section.title}\n`;
    const block = `${fresh.slice(fresh.indexOf(heading)).split(/\n(?=## )/)[0]!.trimEnd()}\n`;
    const at = out.indexOf(heading);
    if (at < 0) out = `${out.trimEnd()}\n\n${block}`;
    else {
      const end = out.indexOf('\n## ', at + heading.length);
      out = out.slice(0, at) + block + (end < 0 ? '' : out.slice(end));
    }
    const own = (line: string) => line.startsWith(`| ${md(section.title)} |`);
    const lines = out.split('\n').filter((l) => !own(l));
    const table = lines.indexOf('## Targets');
    let last = table;
    while (last + 1 < lines.length && (lines[last + 1]!.startsWith('|') || (last === table && !lines[last + 1]))) last++;
    lines.splice(last + 1, 0, ...fresh.split('\n').filter(own));
    const note = `- Merged: ${section.title}, from \`${partial.command}\` on ${partial.date.toISOString()} (${machineLine(partial.machine)})`;
    const previous = lines.findIndex((l) => l.startsWith(`- Merged: ${section.title}, `));
    if (previous >= 0) lines[previous] = note;
    else lines.splice(lines.findIndex((l) => l.startsWith('- Targets: ')) + 1, 0, note);
    out = lines.join('\n');
  }
  const rows = out.slice(out.indexOf('## Targets'), out.indexOf('\n## ', out.indexOf('## Targets') + 1)).split('\n').filter(targetRow);
  const missed = rows.filter((r) => r.includes('**MISSED**')).map((r) => r.split(' | ')[1]);
  const failed = [...out.matchAll(/^## (.+)\n(?:(?!## )[^\n]*\n)*?\*\*FAILED\*\*/gm)].map((m) => m[1]);
  const count = `- Targets: ${rows.length - missed.length} of ${rows.length} met${missed.length ? `; missed: ${missed.join('; ')}` : ''}${failed.length ? `; benchmarks that failed: ${failed.join(', ')}` : ''}`;
  return out.replace(/^- Targets: .*$/m, count);
}
