// Every rule of .spectral.yaml has its function, its test file and its README lines (the
// hand-written tables and the calibration table written by `npm run lint:corpus`).
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
