/**
 * Random list-query options for the property tests (properties.test.ts) and `npm run fuzz`
 * (test/fuzz/run.ts): grammar-shaped filters, valid and broken, and garbage.
 */
import fc from 'fast-check';

export const fields = [
  'status', 'substatus', 'name', 'id', 'favorite', 'details/dealValue', 'details/currency', 'details/closingDateTime',
  'customerProfile/address/country', 'customerProfile/name', 'createdDateTime', 'updatedDateTime', 'team', 'tags',
  'registrations', 'customerProfile', 'nosuch', 'details/nosuch', 't/email', 'x',
];
const literal = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.string({ maxLength: 6 }).map((s) => `'${s}'`), // unescaped quotes too
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('null', 'true', 'false', '2026-01-01T00:00:00Z', '2026-13-45T99:00:00Z', '2026-01-01', 'INF', '-0', '1e400'),
  fc.uuid(),
  // What the library reads as JSON, typed or aliased literals; the guard must keep it away.
  fc.constantFrom('["#O', '[1,2]', '{"a":1}', '"x"', '@p', '$it', '$root/x', "duration'P1D'", "binary'AQ=='", "geography'SRID=0;Point(1 2)'", '%27x%27', '%5B'),
);
const space = fc.constantFrom(' ', '  ', '', '\t');
const comparison = fc
  .tuple(fc.constantFrom(...fields), space, fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in', 'EQ'), space, literal)
  .map(([f, s1, op, s2, lit]) => `${f}${s1 || ' '}${op}${s2 || ' '}${lit}`);
const call1 = fc
  .tuple(fc.constantFrom('contains', 'startswith', 'endswith', 'tolower', 'length', 'substring', 'now'), fc.constantFrom(...fields), literal)
  .map(([fn, f, lit]) => `${fn}(${f},${lit})`);
const lambda = fc
  .tuple(fc.constantFrom('team', 'tags', 'registrations', 'customerProfile/team', 'name'), fc.constantFrom('any', 'all', 'count'), fc.constantFrom('t', 'x'), comparison)
  .map(([c, q, v, body]) => `${c}/${q}(${v}:${body.replace(/^\w+/, `${v}/email`)})`);

/** Grammar-shaped filters with wrong fields, operators, types, parentheses and literals. */
export const noisyFilter: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    call1,
    lambda,
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or ', ' AND ', ' and', ' xor '), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('e').map((e) => `not ${e}`),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `(${e}`),
  ),
})).e;

// Well-typed expressions over real fields, so that many filters are valid and run.
const text = fc.string({ maxLength: 6 }).map((v) => `'${v.replace(/'/g, "''")}'`);
const typed = fc.oneof(
  fc.tuple(fc.constantFrom('status', 'substatus', 'name', 'details/currency', 'customerProfile/address/country', 'customerProfile/name'), fc.oneof(text, fc.constantFrom("'New'", "'Active'", "'US'", 'null'))),
  fc.tuple(fc.constant('details/dealValue'), fc.oneof(fc.integer({ min: 0, max: 2_000_000 }).map(String), fc.constant('null'))),
  fc.tuple(fc.constantFrom('favorite', 'isSpam'), fc.constantFrom('true', 'false', 'null')),
  fc.tuple(fc.constantFrom('createdDateTime', 'updatedDateTime', 'details/closingDateTime'), fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString())),
);
const validComparison = fc.tuple(typed, fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le')).map(([[f, v], op]) => `${f} ${v === 'null' ? (op === 'eq' ? 'eq' : 'ne') : op} ${v}`);
const validCall = fc.tuple(fc.constantFrom('contains', 'startswith', 'endswith'), fc.constantFrom('name', 'customerProfile/name', 'tolower(name)'), text).map(([fn, f, v]) => `${fn}(${f},${v})`);
const validLambda = fc.oneof(
  text.map((v) => `team/any(t:t/email eq ${v})`),
  text.map((v) => `team/all(m: contains(m/lastName, ${v}))`),
  text.map((v) => `tags/any(x: x eq ${v})`),
  fc.constantFrom("registrations/any(r: r/status eq 'Approved')", 'team/any()', 'registrations/any()'),
);

/** Filters the emulator accepts (over the seeded referrals' fields). */
export const validFilter: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    validComparison,
    validCall,
    validLambda,
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or '), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('e').map((e) => `not ${e}`),
    tie('e').map((e) => `(${e})`),
  ),
})).e;

/** Grammar-shaped filters, mostly valid. */
export const expression = fc.oneof({ arbitrary: validFilter, weight: 3 }, { arbitrary: noisyFilter, weight: 2 });

/** Any text: printable, any code unit, and the characters filters are made of (JSON's too). */
export const garbage = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'()\'/ :,eqandornt$@%0123456789'), maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'[]{}"\\\'#:,/%5BCDu0Oetrufalsn -.'), maxLength: 30 }),
);

/** Pieces of filters, repeated by `large` to find input shapes the parser takes super-linear time on. */
const piece = fc.constantFrom(
  'a', 'name', ' eq ', ' gt ', ' and ', ' or ', 'not ', '(', ')', '/', "'x'", "''", '1', '-', '1.5', 'e', ' ', ',', ':', '.', '+', '*',
  'any(x:', 'all(', 'x/', 'contains(', 'tolower(', 'null', 'true', '2026-01-01T00:00:00Z', '01234567-89ab-cdef-0123-456789abcdef',
);
const unit = fc.oneof(
  fc.array(piece, { minLength: 1, maxLength: 6 }).map((xs) => xs.join('')),
  fc.string({ unit: fc.constantFrom(...'aZ09_ ().,/:+*-\''), minLength: 1, maxLength: 12 }),
);

/** Long inputs near the limits: repeated units up to past the length limit, chains, deep parentheses. */
export const large = fc.oneof(
  fc.tuple(unit, fc.integer({ min: 1, max: 2100 })).map(([u, n]) => u.repeat(Math.ceil(n / u.length)).slice(0, n)),
  fc.tuple(fc.integer({ min: 1, max: 160 }), fc.constantFrom(' and ', ' or '), validComparison).map(([n, op, c]) => Array.from({ length: n }, () => c).join(op)),
  fc.tuple(fc.integer({ min: 1, max: 40 }), validComparison).map(([n, c]) => `${'('.repeat(n)}${c}${')'.repeat(n)}`),
  fc.tuple(fc.integer({ min: 1, max: 700 }), validComparison).map(([n, c]) => `${'not '.repeat(n)}${c}`),
  fc.tuple(fc.integer({ min: 1, max: 2100 }), fc.constantFrom('a', "'", '(', '[', ' ', '/', 'a/')).map(([n, c]) => c.repeat(n).slice(0, 2100)),
);

/** A `$filter` value of every kind. */
export const anyFilter = fc.oneof({ arbitrary: expression, weight: 6 }, { arbitrary: garbage, weight: 3 }, { arbitrary: large, weight: 1 });

const path = fc.oneof(
  { arbitrary: fc.constantFrom('status', 'name', 'details/dealValue', 'createdDateTime', 'updatedDateTime', 'customerProfile/address/country'), weight: 4 },
  { arbitrary: fc.constantFrom(...fields, '*', 'a/b/c', '', ' '), weight: 1 },
);
const direction = fc.oneof({ arbitrary: fc.constantFrom('', ' asc', ' desc'), weight: 6 }, { arbitrary: fc.constant(' sideways'), weight: 1 });
const list = fc.array(fc.tuple(path, direction).map(([p, d]) => p + d), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));

/** One `name=value` list option of every kind except $filter, URL-encoded. */
export const otherOption = fc.oneof(
  list.map((v) => `$orderby=${encodeURIComponent(v)}`),
  list.map((v) => `$select=${encodeURIComponent(v)}`),
  list.map((v) => `$expand=${encodeURIComponent(v)}`),
  garbage.map((v) => `$orderby=${encodeURIComponent(v)}`),
  garbage.map((v) => `$select=${encodeURIComponent(v)}`),
  fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.integer().map(String), garbage).map((v) => `$top=${encodeURIComponent(v)}`),
  fc.oneof(fc.integer({ min: -5, max: 60 }).map(String), fc.integer().map(String), garbage).map((v) => `$skip=${encodeURIComponent(v)}`),
  fc.constantFrom('true', 'false', 'TRUE').map((v) => `$count=${v}`),
  garbage.map((v) => `$count=${encodeURIComponent(v)}`),
  garbage.map((v) => `$skiptoken=${encodeURIComponent(v)}`),
  fc.jsonValue().map((v) => `$skiptoken=${Buffer.from(JSON.stringify(v)).toString('base64url')}`),
  anyFilter.map((f) => `$skiptoken=${Buffer.from(JSON.stringify({ filter: f, count: false, pageSize: 10, offset: 0 })).toString('base64url')}`),
  garbage.map((v) => encodeURIComponent(v)),
);

/** A whole query string: a `$filter` of every kind, or one to four other options. */
export const queryString = fc.oneof(
  { arbitrary: anyFilter.map((f) => `$filter=${encodeURIComponent(f)}`), weight: 4 },
  { arbitrary: fc.array(otherOption, { minLength: 1, maxLength: 4 }).map((xs) => xs.join('&')), weight: 1 },
);

/** How a query string is named in reports: decoded, so `$filter=["#O` reads as sent. */
export function showQuery(query: string): string {
  try {
    return JSON.stringify(decodeURIComponent(query));
  } catch {
    return JSON.stringify(query);
  }
}
