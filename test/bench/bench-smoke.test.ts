// The benchmark report's arithmetic and verdicts (no timing here): medians, per-run ratios,
// interleaving order, met/missed against targets and how BENCHMARKS.md shows a miss.
import { describe, expect, it } from 'vitest';
import { formatTarget, formatValue, mergeMarkdown, renderMarkdown, renderText, status, type Report, type Row } from '../../bench/lib/report.js';
import { interleavedSteps, perRunRatios, summarize } from '../../bench/lib/stats.js';
import { theoreticalMinimumMs } from '../../bench/throttled-listing.js';

const row = (median: number, target?: Row['target'], note?: string): Row => ({ label: 'fig', unit: 'x', stat: { median, min: median, max: median, runs: 5 }, target, note });

function report(rows: Row[]): Report {
  return {
    date: new Date('2026-01-02T03:04:05Z'),
    command: 'npm run bench',
    machine: { cpus: 2, model: 'Test CPU', node: 'v20.20.2', platform: 'linux x64', memoryGB: 8 },
    totalMs: 123_400,
    budgetMs: 600_000,
    sections: [{ id: 's', title: '1. Section', setup: ['how'], rows, notes: ['a note'] }],
  };
}

describe('stats', () => {
  it('summarises median (odd and even counts), min and max', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
    expect(() => summarize([])).toThrow(/at least one/);
    expect(() => summarize([1, Number.NaN])).toThrow(/non-finite/);
  });

  it('takes ratios run by run', () => {
    expect(perRunRatios([2, 9], [1, 3])).toEqual([2, 3]);
    expect(() => perRunRatios([1], [1, 2])).toThrow(/length/);
  });

  it('alternates the steps of the variants and sums each per run, after a warm-up run', async () => {
    const order: string[] = [];
    const session = (k: string) => () => {
      let n = 0;
      return async () => {
        order.push(k);
        return ++n < 2;
      };
    };
    const out = await interleavedSteps(1, { a: session('a'), b: session('b') });
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    expect(out.a).toHaveLength(1);
    expect(out.b).toHaveLength(1);
  });
});

describe('report', () => {
  it('judges targets on the median', () => {
    expect(status(row(1.1, { op: '<=', value: 1.1 }))).toBe('met');
    expect(status(row(1.11, { op: '<=', value: 1.1 }))).toBe('missed');
    expect(status(row(0, { op: '==', value: 0 }))).toBe('met');
    expect(status(row(3, { op: '==', value: 0 }))).toBe('missed');
    expect(status(row(3))).toBe('');
    // A count that must hold in every run misses when one run misses, whatever the median.
    const counts: Row = { label: '429s', unit: 'count', stat: { median: 0, min: 0, max: 1, runs: 5 }, target: { op: '==', value: 0, over: 'every run' } };
    expect(status(counts)).toBe('missed');
    expect(status({ ...counts, stat: { median: 0, min: 0, max: 0, runs: 5 } })).toBe('met');
    expect(formatTarget(counts.target, 'count')).toBe('= 0 in every run');
  });

  it('formats values and targets by unit', () => {
    expect(formatValue(1.234, 'x')).toBe('1.23×');
    expect(formatValue(4888, 'B')).toBe('4,888 B');
    expect(formatValue(0.01234, 'ms')).toBe('0.0123 ms');
    expect(formatValue(12345.6, 'req/s')).toBe('12,346 req/s');
    expect(formatTarget({ op: '<=', value: 5120 }, 'B')).toBe('≤ 5 KB (5,120 B)');
    expect(formatTarget({ op: '<=', value: 1.05 }, 'x')).toBe('≤ 1.05×');
  });

  it('states a missed target as missed with its reason, and says when no reason was recorded', () => {
    const text = renderMarkdown(report([row(1.2, { op: '<=', value: 1.1 }, 'it is slow because of X'), { ...row(2, { op: '<=', value: 1.5 }), label: 'other' }, row(1.0, { op: '<=', value: 1.1 })]));
    expect(text).toContain('**MISSED**: it is slow because of X');
    expect(text).toContain('**MISSED**: reason not recorded');
    expect(text).toMatch(/Targets: 1 of 3 met; missed: fig; other/);
    expect(text).toContain('- Command: `npm run bench`');
    expect(text).toContain('- Machine: 2 CPUs (Test CPU), 8.0 GB RAM, Node v20.20.2, linux x64');
    expect(text).toContain('- Date: 2026-01-02T03:04:05.000Z');
    expect(text).toContain('- Total time: 123.4 s (budget 600.0 s: met)');
    expect(renderText(report([row(1.2, { op: '<=', value: 1.1 }, 'why')]))).toContain('MISSED: why');
  });

  it('merges a run of some benchmarks into the file of the last full run', () => {
    const full: Report = {
      ...report([row(1.0, { op: '<=', value: 1.1 })]),
      sections: [
        { id: 'a', title: '1. First', setup: ['a'], rows: [{ ...row(1.0, { op: '<=', value: 1.1 }), label: 'first fig' }], notes: [] },
        { id: 'b', title: '2. Second', setup: ['b, old'], rows: [{ ...row(5), label: 'old fig' }, { ...row(1.0, { op: '<=', value: 1.1 }), label: 'second fig' }], notes: [] },
      ],
    };
    const before = renderMarkdown(full);
    const partial: Report = {
      ...full,
      command: 'npm run bench -- --only b,c --merge',
      date: new Date('2026-02-03T00:00:00Z'),
      sections: [
        { id: 'b', title: '2. Second', setup: ['b, new'], rows: [{ ...row(2, { op: '<=', value: 1.1 }), label: 'second fig' }], notes: [] },
        { id: 'c', title: '3. Third', setup: ['c'], rows: [{ ...row(7), label: 'third fig' }], notes: [] },
      ],
    };
    const merged = mergeMarkdown(before, partial);
    // The first section as it was; the second replaced; the third added at the end.
    expect(merged).toContain(before.slice(before.indexOf('## 1. First'), before.indexOf('## 2. Second')));
    expect(merged).not.toContain('b, old');
    expect(merged).not.toContain('old fig');
    expect(merged.indexOf('## 2. Second')).toBeLessThan(merged.indexOf('## 3. Third'));
    expect(merged.trimEnd().endsWith('| third fig | 7.00× | 7.00× | 7.00× | 5 |  |  |')).toBe(true);
    // The Targets table and count follow: the second figure now misses its target.
    expect(merged.match(/^\| 2\. Second \|.*$/gm)).toEqual(['| 2. Second | second fig | 2.00× | 2.00× | 2.00× | ≤ 1.10× | **MISSED**: reason not recorded |']);
    expect(merged).toContain('- Targets: 1 of 2 met; missed: second fig');
    expect(merged).toContain('- Merged: 2. Second, from `npm run bench -- --only b,c --merge` on 2026-02-03T00:00:00.000Z');
    expect(merged).toContain('- Merged: 3. Third, from');
    // Merging the same run again changes nothing.
    expect(mergeMarkdown(merged, partial)).toBe(merged);
  });

  it('shows a benchmark that crashed instead of leaving it out', () => {
    const r = report([]);
    r.sections[0]!.error = 'boom';
    expect(renderMarkdown(r)).toContain('**FAILED**: boom');
    expect(renderText(r)).toContain('FAILED: boom');
  });
});

describe('throttled listing', () => {
  it('computes the least time a sliding-window quota allows', () => {
    // 200 calls at 100 per 2 s, 5 ms each: one window waited out, then 100 calls back to back.
    expect(theoreticalMinimumMs(200, 5, { limit: 100, windowMs: 2000 })).toBe(2500);
    // Slow calls: the quota never binds.
    expect(theoreticalMinimumMs(200, 30, { limit: 100, windowMs: 2000 })).toBe(6000);
    expect(theoreticalMinimumMs(50, 5, { limit: 100, windowMs: 2000 })).toBe(250);
  });
});
