// One test per change class: its fixture pair (test/diff/fixtures/<class>.yaml) must report
// exactly the changes the fixture expects, among them at least one of that class. Plus the
// bookkeeping oasdiff-style rules need: every class has a fixture and a README row, and none
// is left without.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { RULES } from '../../scripts/lib/diff/rules.mjs';
import { FIXTURES, ROOT, diffFixture, readFixture, summary } from './helpers.js';

interface Rule {
  id: string;
  level: 'error' | 'warning' | 'info';
  title: string;
  fix: string;
  seen: number[];
}
const rules = RULES as Rule[];

describe.each(rules.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  it(`its fixture pair reports it (${rule.level})`, async () => {
    const fixture = readFixture(id);
    const { changes } = await diffFixture(fixture);
    expect(summary(changes)).toEqual([...fixture.expect].sort());
    const mine = changes.filter((c) => c.class === id);
    expect(mine.length, `${id}.yaml must expect at least one ${id}`).toBeGreaterThan(0);
    for (const c of mine) {
      expect(c.level).toBe(rule.level);
      expect(c.breaking).toBe(rule.level !== 'info');
      expect(c.message.startsWith(rule.title)).toBe(true);
      expect(c.fix).toBe(rule.fix);
      if (c.path.startsWith('operation/')) expect(c.operationId).toBe(c.path.split('/')[1]);
    }
  });
});

describe('the rule set', () => {
  it('has one fixture pair per class and no fixture without a class', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(fixtures).toEqual(rules.map((r) => r.id).sort());
  });

  it('gives every breaking class a fix, and ids are unique kebab-case', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      if (r.level !== 'info') expect(r.fix.length, r.id).toBeGreaterThan(20);
    }
  });

  it('is documented: a row per class in scripts/lib/diff/README.md, with its level', () => {
    const readme = readFileSync(join(ROOT, 'scripts/lib/diff/README.md'), 'utf8');
    for (const r of rules) expect(readme, r.id).toMatch(new RegExp(`^\\| \`${r.id}\` \\| ${r.level} \\|`, 'm'));
  });
});
