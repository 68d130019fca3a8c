/**
 * $filter semantics against an independent reference: random boolean expression trees (and,
 * or, not, any()/all() with a nested tree) are printed as OData text with the fewest parentheses
 * OData precedence allows (not > and > or), sometimes with extra ones, then parsed and compiled
 * by the emulator and evaluated on random rows. The reference evaluates the tree directly in
 * JavaScript, so a wrong precedence fix (`not a and b`, `a or b and c`, nested lambdas, ...)
 * or a comparison that normalises, orders or treats null differently shows up as a row where
 * the two disagree. Every check runs against both ways the emulator runs a compiled filter:
 * generated code and the closures used where a host forbids generating code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoolNode, LambdaNode, MemberNode } from '../../src/emulator/core/odata/ast.js';
import { compileFilter, type Row } from '../../src/emulator/core/odata/compile.js';
import { parseFilter } from '../../src/emulator/core/odata/parse.js';
import { referralSchema, schemaModel } from '../../src/emulator/core/spec.js';

interface Member {
  email?: string | null;
  firstName?: string;
  contactPreference?: { locale?: string | null; disableNotifications?: boolean };
}

type Collection = 'team' | 'customerProfile/team';

type Tree =
  | { kind: 'atom'; index: number }
  | { kind: 'not'; operand: Tree }
  | { kind: 'and' | 'or'; left: Tree; right: Tree }
  | { kind: 'lambda'; quantifier: 'any' | 'all'; collection: Collection; inner: Tree };

interface Atom {
  text: string;
  holds: (row: Row, member?: Member) => boolean;
}

// The reference's own reading of values: a field of another type, or text that is not a
// timestamp where an instant is expected, counts as null; ordering against null is false.
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const when = (v: unknown): number | null => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
};
const details = (row: Row) => (row.details ?? {}) as { dealValue?: number | null; notes?: string | null };
const customerTeam = (row: Row) => (row.customerProfile as { team?: Member[] } | undefined)?.team;
const JAN_2 = Date.UTC(2026, 0, 2);

/** Conditions on the referral; evaluated by hand, without the emulator's code. */
const ROW_ATOMS: Atom[] = [
  { text: "status eq 'New'", holds: (r) => r.status === 'New' },
  { text: "status ne 'Closed'", holds: (r) => r.status !== 'Closed' },
  { text: 'favorite', holds: (r) => r.favorite === true },
  { text: 'favorite eq false', holds: (r) => r.favorite === false },
  // Numbers, the literal on either side, and null.
  { text: 'details/dealValue gt 500', holds: (r) => (num(details(r).dealValue) ?? -Infinity) > 500 },
  { text: 'details/dealValue le 200', holds: (r) => typeof details(r).dealValue === 'number' && details(r).dealValue! <= 200 },
  { text: 'details/dealValue ge 500', holds: (r) => num(details(r).dealValue) !== null && details(r).dealValue! >= 500 },
  { text: '500 gt details/dealValue', holds: (r) => num(details(r).dealValue) !== null && 500 > details(r).dealValue! },
  { text: 'details/dealValue ne 500', holds: (r) => details(r).dealValue !== 500 },
  { text: 'details/dealValue eq null', holds: (r) => details(r).dealValue == null },
  { text: 'null ne name', holds: (r) => r.name != null },
  // Date/times compare as instants: offsets and date-only values, quoted or not; text that is
  // not a timestamp is null.
  { text: 'createdDateTime ge 2026-01-02T00:00:00Z', holds: (r) => (when(r.createdDateTime) ?? -Infinity) >= JAN_2 },
  { text: "createdDateTime lt '2026-01-02T01:00:00+01:00'", holds: (r) => (when(r.createdDateTime) ?? Infinity) < JAN_2 },
  { text: 'createdDateTime eq 2026-01-02', holds: (r) => when(r.createdDateTime) === JAN_2 },
  { text: 'createdDateTime ne 2026-01-02T00:00:00.000Z', holds: (r) => when(r.createdDateTime) !== JAN_2 },
  { text: '2026-01-02T00:00:00Z lt updatedDateTime', holds: (r) => (when(r.updatedDateTime) ?? -Infinity) > JAN_2 },
  {
    text: 'updatedDateTime gt createdDateTime',
    holds: (r) => when(r.updatedDateTime) !== null && when(r.createdDateTime) !== null && when(r.updatedDateTime)! > when(r.createdDateTime)!,
  },
  { text: 'updatedDateTime eq createdDateTime', holds: (r) => when(r.updatedDateTime) === when(r.createdDateTime) },
  { text: 'closedDateTime eq null', holds: (r) => r.closedDateTime == null },
  // Text: ordinal and case-sensitive; functions of text that is missing give null.
  { text: "name lt 'N'", holds: (r) => str(r.name) !== null && str(r.name)! < 'N' },
  { text: "contains(name, 'a')", holds: (r) => typeof r.name === 'string' && r.name.includes('a') },
  { text: "startswith(name, 'Co')", holds: (r) => str(r.name)?.startsWith('Co') === true },
  { text: "endswith(name, 'wind')", holds: (r) => str(r.name)?.endsWith('wind') === true },
  { text: "contains(tolower(name), 'con')", holds: (r) => str(r.name)?.toLowerCase().includes('con') === true },
  { text: "toupper(name) eq 'RELECLOUD'", holds: (r) => str(r.name)?.toUpperCase() === 'RELECLOUD' },
  { text: 'length(name) gt 8', holds: (r) => (str(r.name)?.length ?? -Infinity) > 8 },
  { text: "trim(details/notes) eq 'call back'", holds: (r) => str(details(r).notes)?.trim() === 'call back' },
  { text: 'tolower(name) ne name', holds: (r) => (str(r.name)?.toLowerCase() ?? null) !== str(r.name) },
  { text: 'endswith(details/notes, name)', holds: (r) => str(details(r).notes) !== null && str(r.name) !== null && details(r).notes!.endsWith(r.name as string) },
];

/** Conditions on a team member `t` (plus some on the referral, legal inside a lambda). */
const MEMBER_ATOMS: Atom[] = [
  { text: "t/email eq 'ann@contoso.com'", holds: (_r, m) => m?.email === 'ann@contoso.com' },
  { text: "startswith(t/firstName, 'B')", holds: (_r, m) => typeof m?.firstName === 'string' && m.firstName.startsWith('B') },
  { text: 't/email eq null', holds: (_r, m) => m?.email == null },
  { text: "t/firstName lt 'Be'", holds: (_r, m) => str(m?.firstName) !== null && m!.firstName! < 'Be' },
  { text: "endswith(tolower(t/email), '.com')", holds: (_r, m) => str(m?.email)?.toLowerCase().endsWith('.com') === true },
  { text: "t/contactPreference/locale eq 'en-US'", holds: (_r, m) => m?.contactPreference?.locale === 'en-US' },
  { text: 't/contactPreference/locale ne null', holds: (_r, m) => m?.contactPreference?.locale != null },
  { text: 't/contactPreference/disableNotifications', holds: (_r, m) => m?.contactPreference?.disableNotifications === true },
  { text: "status eq 'Active'", holds: (r) => r.status === 'Active' },
  { text: 'details/dealValue gt 500', holds: (r) => (num(details(r).dealValue) ?? -Infinity) > 500 },
  { text: 'createdDateTime le 2026-01-02T00:00:00Z', holds: (r) => (when(r.createdDateTime) ?? Infinity) <= JAN_2 },
];

function tree(atoms: number, allowLambda: boolean): fc.Arbitrary<Tree> {
  return fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.nat({ max: atoms - 1 }).map((index): Tree => ({ kind: 'atom', index })),
      tie('t').map((operand): Tree => ({ kind: 'not', operand })),
      fc.tuple(fc.constantFrom('and' as const, 'or' as const), tie('t'), tie('t')).map(([kind, left, right]): Tree => ({ kind, left, right })),
      ...(allowLambda
        ? [
            fc
              .tuple(fc.constantFrom('any' as const, 'all' as const), fc.constantFrom<Collection>('team', 'customerProfile/team'), tree(MEMBER_ATOMS.length, false))
              .map(([quantifier, collection, inner]): Tree => ({ kind: 'lambda', quantifier, collection, inner })),
          ]
        : []),
    ),
  })).t;
}

const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4, lambda: 4 } as const;

/**
 * OData text for `t`: parentheses only where precedence needs them (a looser operand under a
 * tighter operator; right operands of the same operator too, so `a and (b or c)` keeps its
 * shape), plus the ones `extra` asks for.
 */
function print(t: Tree, atoms: Atom[], extra: () => boolean): string {
  const wrap = (child: Tree, min: number): string => {
    const text = print(child, atoms, extra);
    return PRECEDENCE[child.kind] < min || extra() ? `(${text})` : text;
  };
  switch (t.kind) {
    case 'atom':
      return atoms[t.index]!.text;
    case 'not':
      return `not ${wrap(t.operand, PRECEDENCE.not)}`;
    case 'and':
    case 'or':
      return `${wrap(t.left, PRECEDENCE[t.kind])} ${t.kind} ${wrap(t.right, PRECEDENCE[t.kind] + 1)}`;
    case 'lambda':
      return `${t.collection}/${t.quantifier}(t: ${print(t.inner, MEMBER_ATOMS, extra)})`;
  }
}

function evaluate(t: Tree, atoms: Atom[], row: Row, member?: Member): boolean {
  switch (t.kind) {
    case 'atom':
      return atoms[t.index]!.holds(row, member);
    case 'not':
      return !evaluate(t.operand, atoms, row, member);
    case 'and':
      return evaluate(t.left, atoms, row, member) && evaluate(t.right, atoms, row, member);
    case 'or':
      return evaluate(t.left, atoms, row, member) || evaluate(t.right, atoms, row, member);
    case 'lambda': {
      // A missing collection has no members: any() is false, all() is true.
      const members = (t.collection === 'team' ? (row.team as Member[] | undefined) : customerTeam(row)) ?? [];
      const test = (m: Member) => evaluate(t.inner, MEMBER_ATOMS, row, m);
      return t.quantifier === 'any' ? members.some(test) : members.every(test);
    }
  }
}

/** Timestamps around 2026-01-02T00:00:00Z: equal instants written differently, and text that is not one. */
const instantText = fc.constantFrom(
  '2026-01-01T23:59:59Z',
  '2026-01-02T00:00:00Z',
  '2026-01-02T01:00:00+01:00',
  '2026-01-02',
  '2026-01-02T00:00:00.001Z',
  '2026-01-03T00:00:00Z',
  'soon',
);
const member = fc.record(
  {
    email: fc.constantFrom('ann@contoso.com', 'bob@fabrikam.com', 'BEA@NORTHWIND.COM', 'carl@relecloud.net', null),
    firstName: fc.constantFrom('Ann', 'Bob', 'Bea', 'Ben', 'bo'),
    contactPreference: fc.record({ locale: fc.constantFrom('en-US', 'de-DE', null), disableNotifications: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Member>;
const row = fc.record(
  {
    status: fc.constantFrom('New', 'Active', 'Closed'),
    favorite: fc.boolean(),
    name: fc.constantFrom('Contoso', 'contoso', 'Fabrikam', 'Northwind', 'NORTHWIND', 'Relecloud'),
    details: fc.record(
      { dealValue: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(500), fc.constant(null)), notes: fc.constantFrom('call back', '  call back ', 'at Northwind', null) },
      { requiredKeys: [] },
    ),
    createdDateTime: instantText,
    updatedDateTime: instantText,
    closedDateTime: fc.oneof(instantText, fc.constant(null)),
    team: fc.array(member, { maxLength: 3 }),
    customerProfile: fc.record({ name: fc.constant('Contoso Ltd'), team: fc.array(member, { maxLength: 3 }) }, { requiredKeys: ['name'] }),
  },
  { requiredKeys: ['status'] },
) as fc.Arbitrary<Row>;

const BACKENDS = [
  ['generated code', {}],
  ['closures', { generate: false }],
] as const;

describe.each(BACKENDS)('$filter against a reference evaluator (%s)', (_backend, options) => {
  const compile = (text: string) => compileFilter(parseFilter(text), schemaModel, referralSchema, 'Referral', options);

  it('agrees on every row for random and/or/not/any/all trees, with minimal or extra parentheses', () => {
    fc.assert(
      fc.property(tree(ROW_ATOMS.length, true), fc.array(row, { minLength: 8, maxLength: 8 }), fc.infiniteStream(fc.boolean()), (t, rows, coins) => {
        const extraParens = coins[Symbol.iterator]();
        const text = print(t, ROW_ATOMS, () => extraParens.next().value === true && extraParens.next().value === true);
        const predicate = compile(text);
        for (const r of rows) expect(predicate(r), `${text} on ${JSON.stringify(r)}`).toBe(evaluate(t, ROW_ATOMS, r));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees on every single condition for every row (each atom alone, so none hides behind and/or)', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 20, maxLength: 20 }), (rows) => {
        ROW_ATOMS.forEach((atom, index) => {
          const predicate = compile(atom.text);
          for (const r of rows) expect(predicate(r), `${atom.text} on ${JSON.stringify(r)}`).toBe(evaluate({ kind: 'atom', index }, ROW_ATOMS, r));
        });
      }),
      { numRuns: 50 },
    );
  });

  // The shapes the library gets wrong on its own, spelled out (a = status eq 'New', b = favorite, c = dealValue gt 500).
  it.each([
    ['not a and b or c', (a: boolean, b: boolean, c: boolean) => (!a && b) || c],
    ['a or b and c', (a: boolean, b: boolean, c: boolean) => a || (b && c)],
    ['a and not b or not c and a', (a: boolean, b: boolean, c: boolean) => (a && !b) || (!c && a)],
    ['not (a or b)', (a: boolean, b: boolean) => !(a || b)],
    ['not (a and (b or c))', (a: boolean, b: boolean, c: boolean) => !(a && (b || c))],
    ['((a) or (not b)) and c', (a: boolean, b: boolean, c: boolean) => (a || !b) && c],
    ['not not a and b', (a: boolean, b: boolean) => a && b],
    ['a or not b and not c or b', (a: boolean, b: boolean, c: boolean) => a || (!b && !c) || b],
  ])('%s', (shape, expected) => {
    const text = shape.replace(/\ba\b/g, "status eq 'New'").replace(/\bb\b/g, 'favorite').replace(/\bc\b/g, 'details/dealValue gt 500');
    const predicate = compile(text);
    for (let bits = 0; bits < 8; bits++) {
      const [a, b, c] = [bits & 1, bits & 2, bits & 4].map(Boolean) as [boolean, boolean, boolean];
      const r: Row = { status: a ? 'New' : 'Active', favorite: b, details: { dealValue: c ? 900 : 100 } };
      expect(predicate(r), `${shape} with a=${a} b=${b} c=${c}`).toBe(expected(a, b, c));
    }
  });

  // The parser library cannot read a lambda inside a lambda, but the compiler accepts one and
  // the two lambdas must keep their own current item; so build the syntax tree by hand:
  // team/Q1(t: customerProfile/team/Q2(u: u/email OP t/email) or status eq 'Active').
  it('keeps each lambda variable bound to its own item in nested any()/all()', () => {
    const path = (variable: string | undefined, ...names: string[]): MemberNode => ({ kind: 'member', variable, path: names, pos: 0, raw: [variable, ...names].join('/') });
    const lambda = (quantifier: 'any' | 'all', collection: MemberNode, variable: string, predicate: BoolNode): LambdaNode => ({
      kind: 'lambda',
      quantifier,
      collection,
      variable,
      predicate,
      pos: 0,
      raw: `${collection.raw}/${quantifier}(...)`,
    });
    const quantified = (quantifier: 'any' | 'all', members: Member[], test: (m: Member) => boolean) => (quantifier === 'any' ? members.some(test) : members.every(test));
    fc.assert(
      fc.property(fc.constantFrom('any' as const, 'all' as const), fc.constantFrom('any' as const, 'all' as const), fc.constantFrom('eq' as const, 'ne' as const), fc.array(row, { minLength: 8, maxLength: 8 }), (q1, q2, op, rows) => {
        const inner = lambda(q2, path(undefined, 'customerProfile', 'team'), 'u', { kind: 'compare', op, left: path('u', 'email'), right: path('t', 'email'), pos: 0, raw: '' });
        const ast: BoolNode = {
          kind: 'truth',
          pos: 0,
          operand: lambda(q1, path(undefined, 'team'), 't', {
            kind: 'or',
            pos: 0,
            left: { kind: 'truth', operand: inner, pos: 0 },
            right: { kind: 'compare', op: 'eq', left: path(undefined, 'status'), right: { kind: 'literal', type: 'string', value: 'Active', pos: 0, raw: "'Active'" }, pos: 0, raw: '' },
          }),
        };
        const predicate = compileFilter(ast, schemaModel, referralSchema, 'Referral', options);
        for (const r of rows) {
          const expected = quantified(q1, (r.team as Member[] | undefined) ?? [], (t) => {
            const same = (u: Member) => str(u.email) === str(t.email); // both missing counts as equal (null eq null)
            return quantified(q2, customerTeam(r) ?? [], (u) => (op === 'eq' ? same(u) : !same(u))) || r.status === 'Active';
          });
          expect(predicate(r), `team/${q1}(t: customerProfile/team/${q2}(u: u/email ${op} t/email) or status eq 'Active') on ${JSON.stringify(r)}`).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
