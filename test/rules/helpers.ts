// Shared harness for the ruleset tests: loads the real .spectral.yaml once per
// test file and lints fixtures with one rule switched on (or the full ruleset).
import * as fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Document, Spectral, type ISpectralDiagnostic, type Ruleset } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { bundleAndLoadRuleset } from '@stoplight/spectral-ruleset-bundler/with-loader';
import base from './fixtures/base.json' with { type: 'json' };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RULESET = path.join(ROOT, '.spectral.yaml');

// Fixtures are JSON trees mutated freely by tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

interface Loaded {
  ruleset: Ruleset;
  spectral: Spectral;
  recommended: Map<string, boolean>;
}

let loading: Promise<Loaded> | undefined;

export function loadRuleset(): Promise<Loaded> {
  loading ??= (async () => {
    const ruleset = await bundleAndLoadRuleset(RULESET, { fs, fetch });
    const spectral = new Spectral();
    spectral.setRuleset(ruleset);
    const recommended = new Map(Object.values(ruleset.rules).map(rule => [rule.name, rule.enabled]));
    return { ruleset, spectral, recommended };
  })();
  return loading;
}

/** A fresh copy of the certifiable base connector, optionally mutated. */
export function fixture(mutate?: (doc: Doc) => void): Doc {
  const doc = structuredClone(base) as Doc;
  mutate?.(doc);
  return doc;
}

/**
 * Lints `doc` with only `ruleName` enabled (every other custom and spectral:oas
 * rule off), or with the full ruleset as configured when `ruleName` is null.
 */
export async function lintWith(ruleName: string | null, doc: Doc): Promise<ISpectralDiagnostic[]> {
  const { ruleset, spectral, recommended } = await loadRuleset();
  if (ruleName !== null && !(ruleName in ruleset.rules)) throw new Error(`no rule ${ruleName} in ${RULESET}`);
  for (const rule of Object.values(ruleset.rules)) {
    rule.enabled = ruleName === null ? recommended.get(rule.name) === true : rule.name === ruleName;
  }
  // A source lets Spectral map results inside $ref'd objects back to where they are written.
  const source = path.join(ROOT, 'test/rules/fixtures', `${ruleName ?? 'full'}.json`);
  return spectral.run(new Document(JSON.stringify(doc, null, 2), Json, source));
}

export interface FailingCase {
  /** What the fixture breaks, for the test name. */
  name: string;
  mutate: (doc: Doc) => void;
  /** JSON path of the single result the rule must report. */
  path: (string | number)[];
  /** Text the message must contain (usually the offending value). */
  message?: RegExp;
}

export interface PassingCase {
  name: string;
  mutate: (doc: Doc) => void;
}

/**
 * The standard suite of a rule: the base connector passes, each failing fixture
 * (base with exactly one thing broken) yields exactly one result of this rule at
 * the expected path, and each passing variant yields none.
 */
export function ruleSuite(ruleName: string, cases: { failing: FailingCase[]; passing?: PassingCase[] }): void {
  describe(ruleName, () => {
    it('reports nothing on the certifiable base connector', async () => {
      expect(await lintWith(ruleName, fixture())).toEqual([]);
    });
    for (const failing of cases.failing) {
      it(`reports ${failing.name}`, async () => {
        const results = await lintWith(ruleName, fixture(failing.mutate));
        // Spectral gives array indexes as numbers or strings depending on how it mapped the path.
        expect(results.map(r => ({ code: r.code, path: r.path.map(String) }))).toEqual([{ code: ruleName, path: failing.path.map(String) }]);
        if (failing.message) expect(results[0]?.message).toMatch(failing.message);
      });
    }
    for (const passing of cases.passing ?? []) {
      it(`accepts ${passing.name}`, async () => {
        expect(await lintWith(ruleName, fixture(passing.mutate))).toEqual([]);
      });
    }
  });
}
