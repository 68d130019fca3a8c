// Every rule of .spectral.yaml has its function, its test file and its README line.
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

const ruleset = parse(readFileSync(RULESET, 'utf8')) as { functions: string[]; rules: Record<string, RuleDefinition> };
const rules = Object.entries(ruleset.rules);
const readme = readFileSync(path.join(ROOT, 'openapi/rules/README.md'), 'utf8');
const functionsDir = path.join(ROOT, 'openapi/rules/functions');

describe('ruleset bookkeeping', () => {
  it('declares rules', () => {
    expect(rules.length).toBeGreaterThan(50);
  });

  it.each(rules)('%s has a PascalCase name, a fix, a test file and a README line', (name, rule) => {
    expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(rule.description.length).toBeGreaterThan(20);
    expect(existsSync(path.join(ROOT, 'test/rules', `${name}.test.ts`)), `test/rules/${name}.test.ts`).toBe(true);
    const line = readme.split('\n').find(l => l.startsWith(`| \`${name}\` |`));
    expect(line, `README line for ${name}`).toBeDefined();
    expect(line).toContain(`| ${rule.severity} |`);
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
