// Every rule of .spectral.yaml has its function, its test file and its README lines (the
// hand-written tables and the calibration table written by `npm run lint:corpus`); every warning
// lists its cases (openapi/rules/cases.yaml), which that table counts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, RULESET } from './helpers.js';

interface RuleDefinition {
  severity: string;
  description: string;
  then: { function: string };
}

const ruleset = parse(readFileSync(RULESET, 'utf8')) as { functions: string[]; rules: Record<string, RuleDefinition | string> };
// Our rules are objects; a string is a severity given to an inherited spectral:oas rule.
const rules = Object.entries(ruleset.rules).filter((entry): entry is [string, RuleDefinition] => typeof entry[1] === 'object');
const inherited = Object.entries(ruleset.rules).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
const readme = readFileSync(path.join(ROOT, 'openapi/rules/README.md'), 'utf8');
const cases = parse(readFileSync(path.join(ROOT, 'openapi/rules/cases.yaml'), 'utf8')) as Record<string, { case: string; message?: string; path?: string }[]>;
const START = '<!-- lint:corpus table start';
const END = '<!-- lint:corpus table end -->';
const calibration = readme.slice(readme.indexOf(START), readme.indexOf(END)).split('\n');
const handWritten = (readme.slice(0, readme.indexOf(START)) + readme.slice(readme.indexOf(END))).split('\n');
const calibrationLine = (name: string) => calibration.find(l => l.startsWith(`| \`${name}\` |`));
const functionsDir = path.join(ROOT, 'openapi/rules/functions');

describe('ruleset bookkeeping', () => {
  it('declares rules', () => {
    expect(rules.length).toBeGreaterThan(50);
  });

  it.each(rules)('%s has a PascalCase name, a fix, a test file and a README line', (name, rule) => {
    expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(rule.description.length).toBeGreaterThan(20);
    expect(existsSync(path.join(ROOT, 'test/rules', `${name}.test.ts`)), `test/rules/${name}.test.ts`).toBe(true);
    expect(handWritten.find(l => l.startsWith(`| \`${name}\` |`)), `README table line for ${name}`).toBeDefined();
    const line = calibrationLine(name);
    expect(line, `README calibration line for ${name}`).toBeDefined();
    expect(line).toContain(`| ${rule.severity} |`);
  });

  it.each(rules)('%s says why it is a warning exactly when it is one', (name, rule) => {
    expect(['error', 'warn']).toContain(rule.severity);
    if (rule.severity === 'warn') expect(rule.description).toMatch(/ Warning, not error: .{10,}/);
    else expect(rule.description).not.toMatch(/Warning, not error/);
  });

  it.each([...rules.filter(([, rule]) => rule.severity === 'warn').map(([name]) => name), ...inherited.filter(([, severity]) => severity === 'warn').map(([name]) => name)])(
    'warning %s lists its cases in openapi/rules/cases.yaml, for the calibration table',
    name => {
      const list = cases[name];
      expect(Array.isArray(list) && list.length > 0, `cases.yaml entry for ${name}`).toBe(true);
      for (const entry of list ?? []) {
        expect(typeof entry.case).toBe('string');
        expect(entry.message ?? entry.path).toBeDefined();
      }
    },
  );

  it('declares cases only for rules of the ruleset', () => {
    const known = new Set([...rules.map(([name]) => name), ...inherited.map(([name]) => name)]);
    // Besides ours and the overridden ones, spectral:oas warnings may list cases too.
    const spectralWarnings = new Set(calibration.filter(l => /\| warn \| spectral:oas/.test(l)).map(l => /^\| `([^`]+)`/.exec(l)?.[1]));
    for (const name of Object.keys(cases)) expect(known.has(name) || spectralWarnings.has(name), name).toBe(true);
  });

  it('has calibration lines only between one pair of markers', () => {
    expect(readme.split(START).length).toBe(2);
    expect(readme.split(END).length).toBe(2);
    expect(readme.indexOf(START)).toBeLessThan(readme.indexOf(END));
  });

  it.each(inherited)('inherited %s keeps its severity override in the calibration table', (name, severity) => {
    // Calibration lowers severities, never switches a check off: what was caught is still reported.
    expect(['error', 'warn']).toContain(severity);
    expect(calibrationLine(name), `README calibration line for ${name}`).toContain(`| ${severity} | spectral:oas`);
  });

  it('uses one function per rule, each listed and present', () => {
    const used = rules.map(([, rule]) => rule.then.function).sort();
    expect(new Set(used).size).toBe(used.length);
    expect([...ruleset.functions].sort()).toEqual(used);
    const files = readdirSync(functionsDir).filter(f => f.endsWith('.js')).map(f => f.slice(0, -3)).sort();
    expect(files).toEqual(used);
  });

  it('names each function after its rule', () => {
    for (const [name, rule] of rules) expect(rule.then.function).toBe(name[0]!.toLowerCase() + name.slice(1));
  });
});
