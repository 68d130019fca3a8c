/**
 * A $filter is parsed and compiled once per request, not re-interpreted per row: the parser
 * library is called once per list call however many referrals there are, and the compiled
 * predicate, sorter and projection never look at the syntax tree again.
 */
import { describe, expect, it, vi } from 'vitest';
import { compileFilter, compileOrderBy, compileSelect, type Row } from '../../src/emulator/core/odata/compile.js';
import { parseFilter, parseOrderBy, parseSelect } from '../../src/emulator/core/odata/parse.js';
import { referralSchema, schemaModel } from '../../src/emulator/core/spec.js';
import { allPages, BASE, newEmulator } from './helpers.js';

/** Makes every property of every object in `tree` throw when read from now on. */
function poison(tree: unknown, seen = new Set<unknown>()): void {
  if (typeof tree !== 'object' || tree === null || seen.has(tree)) return;
  seen.add(tree);
  for (const key of Object.keys(tree)) {
    poison((tree as Record<string, unknown>)[key], seen);
    Object.defineProperty(tree, key, {
      get() {
        throw new Error(`the syntax tree was read after compilation (.${key})`);
      },
    });
  }
}

const calls = vi.hoisted(() => ({ filter: 0, query: 0 }));
vi.mock('odata-v4-parser', async (importOriginal) => {
  const original = await importOriginal<typeof import('odata-v4-parser')>();
  return {
    ...original,
    filter: (source: string, options?: unknown) => {
      calls.filter++;
      return original.filter(source, options);
    },
    query: (source: string, options?: unknown) => {
      calls.query++;
      return original.query(source, options);
    },
  };
});

describe('query compilation', () => {
  it('compiles to closures that never read the syntax tree while rows are evaluated', () => {
    const rows: Row[] = Array.from({ length: 50 }, (_, i) => ({
      id: String(i),
      status: ['New', 'Active', 'Closed'][i % 3],
      name: `Deal ${i}`,
      details: { dealValue: (i * 37) % 100 },
      team: [{ email: `p${i % 4}@contoso.com` }],
      createdDateTime: new Date(Date.UTC(2026, 0, 1 + (i % 7))).toISOString(),
    }));
    const filterAst = parseFilter("not status eq 'Closed' and (details/dealValue gt 20 or team/any(t: startswith(t/email, 'p1'))) and length(tolower(name)) ge 6");
    const orderAst = parseOrderBy('createdDateTime desc, details/dealValue');
    const selectAst = parseSelect('id,details/dealValue,team/email');
    const predicate = compileFilter(filterAst, schemaModel, referralSchema);
    const sort = compileOrderBy(orderAst, schemaModel, referralSchema);
    const project = compileSelect(selectAst, schemaModel, referralSchema);
    const run = () => sort(rows.filter(predicate)).map(project);
    const expected = run();
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(rows.length);
    for (const ast of [filterAst, orderAst, selectAst]) poison(ast);
    expect(() => filterAst.kind).toThrow(/syntax tree was read/); // the poison works
    expect(run()).toEqual(expected);
  });

  it('parses $filter and $orderby once per request, not per row', async () => {
    calls.filter = 0;
    calls.query = 0;
    const em = newEmulator({ count: 300 });
    const pages = await allPages(em, `${BASE}/referrals?$filter=${encodeURIComponent("status ne 'Closed' and details/dealValue gt 0")}&$orderby=createdDateTime desc&$top=100`);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap((p) => p.value).length).toBeGreaterThan(150);
    expect(calls.filter).toBe(pages.length);
    expect(calls.query).toBe(pages.length);
  });
});
