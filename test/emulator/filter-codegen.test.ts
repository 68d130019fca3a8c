/**
 * The compiled $filter is generated JavaScript (predicate.ts), so text from the request must
 * never become code: literals and field names reach the source only as JSON strings. Checked
 * with hostile literals and with field names below a free-form object (which the schema cannot
 * restrict), on both ways of running a filter; those names must also read only own fields, as
 * the checked path walk does (`constructor`, `__proto__`, `length`, indices, ...).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BoolNode, LiteralNode, MemberNode } from '../../src/emulator/core/odata/ast.js';
import { compileFilter, type Row } from '../../src/emulator/core/odata/compile.js';
import { parseFilter } from '../../src/emulator/core/odata/parse.js';
import { SchemaModel } from '../../src/emulator/core/schema-model.js';
import { referralSchema, schemaModel } from '../../src/emulator/core/spec.js';

const model = new SchemaModel({
  definitions: { Thing: { type: 'object', properties: { name: { type: 'string' }, extra: { type: 'object' } } } },
});
const thing = model.definition('Thing');

const INJECTIONS = [
  '"); globalThis.__filterInjected = true; ("',
  "'); globalThis.__filterInjected = true; //",
  '\\"]; globalThis.__filterInjected = true; //',
  '`${globalThis.__filterInjected = true}`',
  '\u2028globalThis.__filterInjected = true;\u2029',
  '*/ globalThis.__filterInjected = true; /*',
  '</script>\n}; globalThis.__filterInjected = true; {',
];
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'length', 'valueOf', '0', '1', 'at'];

const path = (...names: string[]): MemberNode => ({ kind: 'member', path: names, pos: 0, raw: names.join('/') });
const text = (value: string): LiteralNode => ({ kind: 'literal', type: 'string', value, pos: 0, raw: `'${value}'` });
const nil: LiteralNode = { kind: 'literal', type: 'null', value: null, pos: 0, raw: 'null' };
const eq = (left: MemberNode, right: LiteralNode): BoolNode => ({ kind: 'compare', op: 'eq', left, right, pos: 0, raw: '' });

declare global {
  var __filterInjected: unknown;
}

afterEach(() => {
  delete globalThis.__filterInjected;
});

describe.each([
  ['generated code', {}],
  ['closures', { generate: false }],
] as const)('$filter text never becomes code (%s)', (_backend, options) => {
  const compile = (ast: BoolNode) => compileFilter(ast, model, thing, 'Thing', options);

  it.each(INJECTIONS)('a literal is compared as text: %j', (hostile) => {
    const equal = compile(eq(path('name'), text(hostile)));
    expect([{ name: hostile }, { name: 'x' }, {}].map(equal)).toEqual([true, false, false]);
    const containing = compile({ kind: 'truth', pos: 0, operand: { kind: 'call', name: 'contains', args: [path('name'), text(hostile)], pos: 0, raw: '' } });
    expect([{ name: `(${hostile})` }, { name: 'x' }, {}].map(containing)).toEqual([true, false, false]);
    expect(globalThis.__filterInjected).toBeUndefined();
  });

  it.each([...INJECTIONS, ...INHERITED])('a field name below a free-form object reads only that own field: %j', (name) => {
    const isNull = compile(eq(path('extra', name), nil));
    const isV = compile(eq(path('extra', name), text('v')));
    // JSON.parse makes even "__proto__" an own field, as a request body would.
    const owning = JSON.parse(`{"extra": {${JSON.stringify(name)}: "v"}}`) as Row;
    const rows: Row[] = [owning, { extra: {} }, { extra: 'text' }, { extra: ['a', 'b'] }, { extra: 5 }, { extra: null }, {}];
    expect(rows.map(isV)).toEqual([true, false, false, false, false, false, false]);
    expect(rows.map(isNull)).toEqual([false, true, true, true, true, true, true]);
    expect(globalThis.__filterInjected).toBeUndefined();
  });
});

describe('generated $filter code', () => {
  it('is made once per distinct filter and reused, so paging through a query keeps the optimised function', () => {
    const compile = (filter: string) => compileFilter(parseFilter(filter), schemaModel, referralSchema);
    const first = compile("status eq 'Active' and details/dealValue gt 100000");
    expect(compile("status eq 'Active' and details/dealValue gt 100000")).toBe(first);
    expect(compile("status eq 'Active' and details/dealValue gt 100001")).not.toBe(first);
  });
});
