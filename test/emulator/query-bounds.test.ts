/**
 * Query options of any length or content get an answer at once: every input that ever hung or
 * crashed the OData parsing answers 400 (each run under a deadline in a worker thread, so a
 * regression fails here within seconds, naming it), through the core and the MSW handlers, and
 * the limits the spec states are the ones the emulator enforces. The same request against a real
 * server (`npm start`, `/connector` included): cli.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAX_EXPRESSION_LENGTH, MAX_NESTING, MAX_PATH_SEGMENTS, MAX_TERMS } from '../../src/emulator/core/odata/parse.js';
import { encodeSkipToken, MAX_SKIPTOKEN_LENGTH } from '../../src/emulator/core/odata/query.js';
import { BoundedWorker } from '../harness/bounded-worker.js';
import type { ListAnswer } from './list-query.worker.js';
import { showQuery } from './query-arbitraries.js';
import { REGRESSIONS } from './query-regressions.js';

const list = new BoundedWorker<string, ListAnswer>(new URL('./list-query.worker.ts', import.meta.url), { deadlineMs: 5_000, label: showQuery });
afterAll(() => list.close());

async function answer(query: string): Promise<ListAnswer> {
  const result = await list.run(query);
  if (!result.ok) throw new Error(`${showQuery(query)} threw: ${result.error}`);
  return result.value;
}

const filter = (value: string) => `$filter=${encodeURIComponent(value)}`;

describe('inputs that once hung or crashed the parser', () => {
  it.each(REGRESSIONS.map((r) => [r.name, r] as const))('%s', async (_name, regression) => {
    const res = await answer(filter(regression.filter));
    expect(res.status).toBe(400);
    expect(res.code).toBe('InvalidFilter');
    expect(res.description).toContain(regression.expect);
  });
});

it('answers through the MSW handlers too (a user test process)', async () => {
  const msw = new BoundedWorker<string, ListAnswer>(new URL('./list-query-msw.worker.ts', import.meta.url), { deadlineMs: 5_000, label: showQuery });
  try {
    const result = await msw.run(filter(REGRESSIONS[0]!.filter));
    expect(result.ok && [result.value.status, result.value.description]).toEqual([400, expect.stringContaining(REGRESSIONS[0]!.expect)]);
    const next = await msw.run('$top=1');
    expect(next.ok && next.value.status).toBe(200);
  } finally {
    await msw.close();
  }
});

describe('what reaches the parser', () => {
  it.each([
    ['[1,2] eq name', "unexpected character '[' (U+005B) at position 0"],
    ['name eq {"a":1}', "unexpected character '{' (U+007B) at position 8"],
    ['name eq "x"', `unexpected character '"' (U+0022); string literals take single quotes at position 8`],
    ['name eq %27x%27', "unexpected character '%' (U+0025); the value looks percent-encoded twice at position 8"],
    ['name eq @p', "unexpected character '@' (U+0040) at position 8"],
    ['$it/name eq 1', "unexpected character '$' (U+0024) at position 0"],
    ['name eq 1;', "unexpected character ';' (U+003B) at position 9"],
    ['name eq\n1', 'unexpected character U+000A at position 7'],
    ['name eq -name', "'-' can only be part of a number, date/time or GUID (arithmetic is not supported) at position 8"],
    ['name eq --1', "'-' can only be part of a number"],
  ])('refuses %j: %s', async (value, message) => {
    const res = await answer(filter(value));
    expect([res.status, res.code]).toEqual([400, 'InvalidFilter']);
    expect(res.description).toContain(message);
  });

  it('takes anything inside a string literal, percent signs and brackets included, as the value', async () => {
    for (const text of ['100%27', '[1]', '{"a":1}', '50%', "it''s", 'tab\there', '["#O']) {
      const res = await answer(filter(`name eq '${text}' or contains(name, '${text}')`));
      expect(res.status, `${text}: ${res.description}`).toBe(200);
    }
  });

  it('keeps negative numbers, dates with offsets and GUIDs', async () => {
    for (const value of [
      'details/dealValue gt -1',
      'details/dealValue gt -1.5e-3',
      'updatedDateTime gt 2026-01-01T00:00:00-05:00',
      'createdDateTime ge 2026-01-02',
      'id eq 01234567-89ab-cdef-0123-456789abcdef',
      'id eq abcdef01-89ab-cdef-0123-456789abcdef',
    ]) {
      const res = await answer(filter(value));
      expect(res.status, `${value}: ${res.description}`).toBe(200);
    }
  });
});

describe('limits', () => {
  /** `n` or operators. */
  const chain = (n: number) => Array.from({ length: n + 1 }, () => "status eq 'New'").join(' or ');
  const path = (n: number) => Array.from({ length: n }, () => 'a').join('/');

  it.each([
    ['$filter', filter(`name eq '${'x'.repeat(MAX_EXPRESSION_LENGTH)}'`), 'InvalidFilter', `$filter: the value is ${MAX_EXPRESSION_LENGTH + 10} characters long; at most ${MAX_EXPRESSION_LENGTH} are accepted.`],
    ['$orderby', `$orderby=${'a'.repeat(MAX_EXPRESSION_LENGTH + 1)}`, 'InvalidOrderBy', `$orderby: the value is ${MAX_EXPRESSION_LENGTH + 1} characters long`],
    ['$select', `$select=${'a,'.repeat(1500)}`, 'InvalidSelect', '$select: the value is 3000 characters long'],
    ['$expand', `$expand=${'a'.repeat(5000)}`, 'InvalidExpand', '$expand: the value is 5000 characters long'],
    ['$skiptoken', `$skiptoken=${'A'.repeat(MAX_SKIPTOKEN_LENGTH + 1)}`, 'InvalidSkipToken', `longer than any this service issues (${MAX_SKIPTOKEN_LENGTH})`],
    ['$filter, a million characters', filter('a'.repeat(1_000_000)), 'InvalidFilter', 'the value is 1000000 characters long'],
    ['and/or/not', filter(chain(MAX_TERMS + 1)), 'InvalidFilter', `more than ${MAX_TERMS} and/or/not operators`],
    ['path segments', filter(`${path(MAX_PATH_SEGMENTS + 1)} eq 1`), 'InvalidFilter', `a path has more than ${MAX_PATH_SEGMENTS} segments at position 0`],
    ['$orderby items', `$orderby=${Array.from({ length: MAX_TERMS + 1 }, () => 'name').join(',')}`, 'InvalidOrderBy', `more than ${MAX_TERMS} items`],
    ['nesting', filter(`${'('.repeat(MAX_NESTING + 1)}favorite${')'.repeat(MAX_NESTING + 1)}`), 'InvalidFilter', `parentheses nest deeper than ${MAX_NESTING} levels`],
  ])('refuses over-long %s with a 400 that says so', async (_what, query, code, message) => {
    const res = await answer(query);
    expect([res.status, res.code]).toEqual([400, code]);
    expect(res.description).toContain(message);
  });

  it('accepts everything up to the limits', async () => {
    for (const query of [
      filter(`name eq '${'x'.repeat(MAX_EXPRESSION_LENGTH - 10)}'`),
      filter(chain(MAX_TERMS)),
      filter(`${'('.repeat(MAX_NESTING)}favorite${')'.repeat(MAX_NESTING)}`),
      filter(`customerProfile/${path(MAX_PATH_SEGMENTS - 1)} eq 1`),
      `$select=${Array.from({ length: MAX_TERMS }, () => 'name').join(',')}`,
    ]) {
      const res = await answer(query);
      // An unknown field is a 400 from the compiler, after parsing: the limit let it through.
      expect(res.status === 200 || /unknown field/.test(res.description ?? ''), `${showQuery(query).slice(0, 80)}: ${res.description}`).toBe(true);
    }
  });

  it('refuses no $skiptoken this service can issue', () => {
    // The largest state: four options at the length limit, of the character JSON and UTF-8 make longest.
    const longest = '\u0001'.repeat(MAX_EXPRESSION_LENGTH);
    const token = encodeSkipToken({ filter: longest, orderby: longest, select: longest, expand: longest, count: true, pageSize: 100, offset: Number.MAX_SAFE_INTEGER });
    expect(token.length).toBeLessThanOrEqual(MAX_SKIPTOKEN_LENGTH);
  });

  it('the spec states the limits the emulator enforces (maxLength of $filter, $select, $expand)', () => {
    const spec = parse(readFileSync(join(import.meta.dirname, '../../openapi/referrals.yaml'), 'utf8')) as { parameters: Record<string, { name: string; maxLength?: number; enum?: string[] }> };
    for (const name of ['Filter', 'Select', 'Expand']) expect(spec.parameters[name]!.maxLength, name).toBe(MAX_EXPRESSION_LENGTH);
    // $orderby is an enum of short values in the spec: well inside the limit. (The trigger's own
    // $orderby went with the pollingtrigger template: its custom code writes the query itself.)
    for (const v of spec.parameters.OrderBy!.enum!) expect(v.length).toBeLessThan(MAX_EXPRESSION_LENGTH);
  });
});
