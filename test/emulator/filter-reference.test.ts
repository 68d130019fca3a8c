/**
 * $filter semantics against an independent reference: random boolean expression trees (and,
 * or, not, any() with a nested tree) are printed as OData text with the fewest parentheses
 * OData precedence allows (not > and > or), sometimes with extra ones, then parsed and compiled
 * by the emulator and evaluated on random rows. The reference evaluates the tree directly in
 * JavaScript, so a wrong precedence fix (`not a and b`, `a or b and c`, nested lambdas, ...)
 * shows up as a row where the two disagree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter, type Row } from '../../src/emulator/core/odata/compile.js';
import { parseFilter } from '../../src/emulator/core/odata/parse.js';
import { referralSchema, schemaModel } from '../../src/emulator/core/spec.js';

interface Member {
  email?: string;
  firstName?: string;
}

type Tree =
  | { kind: 'atom'; index: number }
  | { kind: 'not'; operand: Tree }
  | { kind: 'and' | 'or'; left: Tree; right: Tree }
  | { kind: 'any'; inner: Tree };

interface Atom {
  text: string;
  holds: (row: Row, member?: Member) => boolean;
}

const details = (row: Row) => row.details as { dealValue?: number } | undefined;

/** Conditions on the referral; evaluated by hand, without the emulator's code. */
const ROW_ATOMS: Atom[] = [
  { text: "status eq 'New'", holds: (r) => r.status === 'New' },
  { text: "status ne 'Closed'", holds: (r) => r.status !== 'Closed' },
  { text: 'favorite', holds: (r) => r.favorite === true },
  { text: 'favorite eq false', holds: (r) => r.favorite === false },
  { text: 'details/dealValue gt 500', holds: (r) => (details(r)?.dealValue ?? -Infinity) > 500 },
  { text: 'details/dealValue le 200', holds: (r) => typeof details(r)?.dealValue === 'number' && details(r)!.dealValue! <= 200 },
  { text: "contains(name, 'a')", holds: (r) => typeof r.name === 'string' && r.name.includes('a') },
];

/** Conditions on a team member `t` (plus one on the referral, legal inside a lambda). */
const MEMBER_ATOMS: Atom[] = [
  { text: "t/email eq 'ann@contoso.com'", holds: (_r, m) => m?.email === 'ann@contoso.com' },
  { text: "startswith(t/firstName, 'B')", holds: (_r, m) => typeof m?.firstName === 'string' && m.firstName.startsWith('B') },
  { text: 't/email eq null', holds: (_r, m) => m?.email == null },
  { text: "status eq 'Active'", holds: (r) => r.status === 'Active' },
];

function tree(atoms: number, allowAny: boolean): fc.Arbitrary<Tree> {
  return fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.nat({ max: atoms - 1 }).map((index): Tree => ({ kind: 'atom', index })),
      tie('t').map((operand): Tree => ({ kind: 'not', operand })),
      fc.tuple(fc.constantFrom('and' as const, 'or' as const), tie('t'), tie('t')).map(([kind, left, right]): Tree => ({ kind, left, right })),
      ...(allowAny ? [tree(MEMBER_ATOMS.length, false).map((inner): Tree => ({ kind: 'any', inner }))] : []),
    ),
  })).t;
}

const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4, any: 4 } as const;

/**
 * OData text for `t`: parentheses only where precedence needs them (a looser operand under a
 * tighter operator; right operands of the same operator too, so `a and (b or c)` keeps its
 * shape), plus the ones `extra` asks for.
 */
function print(t: Tree, atoms: Atom[], extra: () => boolean): string {
  const wrap = (child: Tree, min: number): string => {
    const text = print(child, child.kind === 'any' ? MEMBER_ATOMS : atoms, extra);
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
    case 'any':
      return `team/any(t: ${print(t.inner, MEMBER_ATOMS, extra)})`;
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
    case 'any':
      return ((row.team as Member[] | undefined) ?? []).some((m) => evaluate(t.inner, MEMBER_ATOMS, row, m));
  }
}

const member = fc.record(
  { email: fc.constantFrom('ann@contoso.com', 'bob@fabrikam.com'), firstName: fc.constantFrom('Ann', 'Bob', 'Bea') },
  { requiredKeys: [] },
);
const row = fc.record(
  {
    status: fc.constantFrom('New', 'Active', 'Closed'),
    favorite: fc.boolean(),
    name: fc.constantFrom('Contoso', 'Fabrikam', 'Northwind', 'Relecloud'),
    details: fc.record({ dealValue: fc.integer({ min: 0, max: 1000 }) }, { requiredKeys: [] }),
    team: fc.array(member, { maxLength: 3 }),
  },
  { requiredKeys: ['status'] },
) as fc.Arbitrary<Row>;

describe('$filter against a reference evaluator', () => {
  it('agrees on every row for random and/or/not/any trees, with minimal or extra parentheses', () => {
    fc.assert(
      fc.property(tree(ROW_ATOMS.length, true), fc.array(row, { minLength: 8, maxLength: 8 }), fc.infiniteStream(fc.boolean()), (t, rows, coins) => {
        const extraParens = coins[Symbol.iterator]();
        const text = print(t, ROW_ATOMS, () => extraParens.next().value === true && extraParens.next().value === true);
        const predicate = compileFilter(parseFilter(text), schemaModel, referralSchema);
        for (const r of rows) expect(predicate(r), `${text} on ${JSON.stringify(r)}`).toBe(evaluate(t, ROW_ATOMS, r));
      }),
      { numRuns: 1000 },
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
    const predicate = compileFilter(parseFilter(text), schemaModel, referralSchema);
    for (let bits = 0; bits < 8; bits++) {
      const [a, b, c] = [bits & 1, bits & 2, bits & 4].map(Boolean) as [boolean, boolean, boolean];
      const r: Row = { status: a ? 'New' : 'Active', favorite: b, details: { dealValue: c ? 900 : 100 } };
      expect(predicate(r), `${shape} with a=${a} b=${b} c=${c}`).toBe(expected(a, b, c));
    }
  });
});
