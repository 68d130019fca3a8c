import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/emulator/core/errors.js';
import { compileFilter, compileOrderBy, compileSelect, type Row } from '../../src/emulator/core/odata/compile.js';
import { MAX_EXPRESSION_LENGTH, MAX_NESTING, parseFilter, parseOrderBy, parseSelect } from '../../src/emulator/core/odata/parse.js';
import { encodeSkipToken, parseListQuery, runListQuery } from '../../src/emulator/core/odata/query.js';
import { referralSchema, schemaModel } from '../../src/emulator/core/spec.js';

const rows: Row[] = [
  {
    id: 'a',
    name: "O'Brien Azure",
    status: 'New',
    substatus: 'Pending',
    favorite: true,
    details: { dealValue: 100, currency: 'USD', closingDateTime: '2026-03-01T00:00:00Z', notes: null },
    customerProfile: { name: 'Contoso Ltd', address: { country: 'US', city: 'Seattle' } },
    team: [{ email: 'a@b.com', firstName: 'Ann' }, { email: 'x@y.com', firstName: 'Xu' }],
    tags: ['priority'],
    createdDateTime: '2026-01-01T10:00:00Z',
    updatedDateTime: '2026-01-02T10:00:00.000Z',
    registrations: [],
  },
  {
    id: 'b',
    name: 'Fabrikam Dynamics',
    status: 'Active',
    substatus: 'Accepted',
    favorite: false,
    details: { dealValue: 2500.5, currency: 'EUR', closingDateTime: '2026-02-01T00:00:00+01:00' },
    customerProfile: { name: 'Fabrikam GmbH', address: { country: 'DE', city: 'Berlin' } },
    team: [{ email: 'c@d.com', firstName: 'Carl' }],
    tags: [],
    createdDateTime: '2026-01-03T10:00:00Z',
    updatedDateTime: '2026-01-01T09:00:00Z',
    registrations: [{ status: 'Approved' }],
  },
  {
    id: 'c',
    name: 'Northwind data',
    status: 'Closed',
    substatus: 'Won',
    details: { currency: 'USD' },
    customerProfile: { name: 'Northwind Inc.', address: { country: 'US' } },
    createdDateTime: '2026-01-02T10:00:00Z',
    updatedDateTime: '2026-01-05T10:00:00Z',
  },
];

const ids = (filter: string) => rows.filter(compileFilter(parseFilter(filter), schemaModel, referralSchema)).map((r) => r.id);

function rejection(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected a 400');
}

describe('$filter', () => {
  it('runs the documented examples', () => {
    expect(ids("status eq 'New' and substatus eq 'Pending'")).toEqual(['a']);
    expect(ids("customerProfile/address/country eq 'US' and status ne 'Closed'")).toEqual(['a']);
    expect(ids("(status eq 'Active' or status eq 'Closed')")).toEqual(['b', 'c']);
    expect(ids("team/any(t:t/email eq 'c@d.com')")).toEqual(['b']);
    expect(ids("id eq 'b'")).toEqual(['b']);
  });

  it('gives not, and, or their OData precedence', () => {
    // The library alone reads this as not (status eq 'New' and favorite eq true).
    expect(ids("not status eq 'New' and favorite eq false")).toEqual(['b']);
    expect(ids("status eq 'Closed' or status eq 'New' and favorite eq true")).toEqual(['a', 'c']);
    expect(ids("(status eq 'Closed' or status eq 'New') and favorite eq true")).toEqual(['a']);
    expect(ids("status eq 'Active' and not favorite or id eq 'c'")).toEqual(['b', 'c']);
    expect(ids("id eq 'b' or not (status eq 'New')")).toEqual(['b', 'c']);
    expect(ids("not not (id eq 'a')")).toEqual(['a']);
  });

  it('compares numbers, booleans, nulls and escaped strings', () => {
    expect(ids('details/dealValue gt 100')).toEqual(['b']);
    expect(ids('details/dealValue ge 100')).toEqual(['a', 'b']);
    expect(ids('details/dealValue lt 2500.5')).toEqual(['a']);
    expect(ids('details/dealValue le 2500.5')).toEqual(['a', 'b']);
    expect(ids('details/dealValue eq null')).toEqual(['c']);
    expect(ids('details/notes eq null')).toEqual(['a', 'b', 'c']); // a has notes: null, b and c none
    expect(ids('details/notes ne null')).toEqual([]);
    expect(ids('details/dealValue ne null')).toEqual(['a', 'b']);
    expect(ids('favorite eq true')).toEqual(['a']);
    expect(ids('favorite')).toEqual(['a']);
    expect(ids('favorite ne true')).toEqual(['b', 'c']);
    expect(ids("name eq 'O''Brien Azure'")).toEqual(['a']);
    expect(ids("'New' eq status")).toEqual(['a']);
  });

  it('compares date/times as instants, whatever their offset or precision', () => {
    expect(ids('updatedDateTime gt 2026-01-02T10:00:00Z')).toEqual(['c']);
    expect(ids('updatedDateTime ge 2026-01-02T10:00:00Z')).toEqual(['a', 'c']);
    expect(ids('updatedDateTime eq 2026-01-02T12:00:00+02:00')).toEqual(['a']);
    expect(ids("updatedDateTime lt '2026-01-01T10:00:00Z'")).toEqual(['b']);
    expect(ids('details/closingDateTime lt 2026-02-01T00:00:00Z')).toEqual(['b']);
    expect(ids('createdDateTime ge 2026-01-02')).toEqual(['b', 'c']);
  });

  it('supports any(), all() and string functions', () => {
    expect(ids("team/any(t: startswith(t/email, 'a'))")).toEqual(['a']);
    expect(ids("team/all(t: contains(t/email, '.com'))")).toEqual(['a', 'b', 'c']);
    expect(ids('team/any()')).toEqual(['a', 'b']);
    expect(ids("tags/any(x: x eq 'priority')")).toEqual(['a']);
    expect(ids("registrations/any(r: r/status eq 'Approved')")).toEqual(['b']);
    expect(ids("team/any(t: t/firstName eq 'Carl' and status eq 'Active')")).toEqual(['b']);
    expect(ids("contains(customerProfile/name, 'GmbH')")).toEqual(['b']);
    expect(ids("endswith(name, 'data')")).toEqual(['c']);
    expect(ids("tolower(customerProfile/name) eq 'contoso ltd'")).toEqual(['a']);
    expect(ids("toupper(name) eq 'NORTHWIND DATA'")).toEqual(['c']);
    expect(ids('length(name) gt 14')).toEqual(['b']);
    expect(ids("not contains(name, 'Azure') and status ne 'Closed'")).toEqual(['b']);
  });

  it.each([
    ['unknownField eq 1', "unknown field 'unknownField' on Referral (at position 0)"],
    ["status eq 'New' and customerProfile/address/town eq 'x'", "unknown field 'town' in 'customerProfile/address' (at position 20)"],
    ["team/email eq 'a@b.com'", "'team' is a collection; use team/any"],
    ["team/any(t: t/mail eq 'x')", "unknown field 'mail' on t"],
    ["name eq 5", "cannot compare 'name' (a string) with '5' (a number)"],
    ['details/dealValue eq true', 'cannot compare'],
    ["updatedDateTime gt 'yesterday'", "'yesterday' is not a valid date/time"],
    ['createdDateTime eq 01234567-89ab-cdef-0123-456789abcdef', "'01234567-89ab-cdef-0123-456789abcdef' is a GUID, not a date/time (at position 19)"],
    ['01234567-89ab-cdef-0123-456789abcdef lt updatedDateTime', 'is a GUID, not a date/time (at position 0)'],
    ['customerProfile eq null', "'customerProfile' is an object"],
    ['details/dealValue gt null', 'null can only be compared with eq or ne'],
    ['name', "'name' is not a boolean condition"],
    ["status eq 'New' and", 'unexpected input at position 15'],
    ["status eq 'New", 'unterminated string literal at position 10'],
    ["((status eq 'New')", "'(' is never closed at position 0"],
    ["status eq 'New')", "')' has no matching '(' at position 15"],
    ["substring(name, 1) eq 'x'", "function 'substring' is not supported"],
    ["contains(name)", 'unexpected input at position 8'],
    ['details/dealValue add 1 gt 2', 'arithmetic is not supported'],
    ["status eq New", "unknown field 'New' on Referral (at position 10)"],
    ["contains(details/dealValue, '1')", 'contains() needs text'],
    ["team/any(t: x/email eq 'a')", "unknown field 'x' on Referral"],
    ['', 'the value is empty'],
    ['x3.5not(and', "'(' is never closed"],
  ])('rejects %j with a 400 naming the problem', (filter, message) => {
    const err = rejection(() => compileFilter(parseFilter(filter), schemaModel, referralSchema));
    expect(err.status).toBe(400);
    expect(err.code).toBe('InvalidFilter');
    expect(err.message).toContain(message);
    expect(err.message).toMatch(/^\$filter: /);
  });

  it('reports positions in the original text, leading blanks included', () => {
    expect(rejection(() => parseFilter("   status eq 'New' or")).message).toContain('position 18');
  });

  it('bounds length and nesting before the recursive parser runs', () => {
    const deep = `${'('.repeat(MAX_NESTING + 1)}status eq 'New'${')'.repeat(MAX_NESTING + 1)}`;
    expect(rejection(() => parseFilter(deep)).message).toContain(`nest deeper than ${MAX_NESTING}`);
    expect(ids(`${'('.repeat(MAX_NESTING)}id eq 'a'${')'.repeat(MAX_NESTING)}`)).toEqual(['a']);
    const long = Array.from({ length: 200 }, () => "status eq 'New'").join(' or ');
    expect(long.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH);
    expect(rejection(() => parseFilter(long)).message).toContain(`at most ${MAX_EXPRESSION_LENGTH} are accepted`);
    const longest = Array.from({ length: 100 }, () => "status eq 'New'").join(' or ');
    expect(longest.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
    const started = performance.now();
    expect(ids(longest)).toEqual(['a']);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('$orderby', () => {
  const order = (value: string) => compileOrderBy(parseOrderBy(value), schemaModel, referralSchema)(rows).map((r) => r.id);

  it('sorts on one or several keys, asc by default, nulls first, stable on ties', () => {
    expect(order('createdDateTime')).toEqual(['a', 'c', 'b']);
    expect(order('createdDateTime desc')).toEqual(['b', 'c', 'a']);
    expect(order('updatedDateTime asc')).toEqual(['b', 'a', 'c']);
    expect(order('details/dealValue')).toEqual(['c', 'a', 'b']);
    expect(order('details/dealValue desc')).toEqual(['b', 'a', 'c']);
    expect(order('details/currency desc, createdDateTime desc')).toEqual(['c', 'a', 'b']);
    expect(order('details/currency, id desc')).toEqual(['b', 'c', 'a']);
    expect(order('customerProfile/address/country')).toEqual(['b', 'a', 'c']); // ties keep input order
  });

  it("reads each row's sort keys once per sort, not once per comparison", () => {
    // A getter counts reads: a comparator that walks paths per comparison reads ~2 n log n times.
    let reads = 0;
    const many = Array.from({ length: 2000 }, (_, i) => {
      const row: Row = { id: String(i), details: { dealValue: (i * 7919) % 2000 } };
      const stamp = new Date(Date.UTC(2026, 0, 1) + ((i * 104729) % 2000) * 60_000).toISOString();
      Object.defineProperty(row, 'createdDateTime', { enumerable: true, get: () => (reads++, stamp) });
      return row;
    });
    const sorted = compileOrderBy(parseOrderBy('createdDateTime desc, details/dealValue'), schemaModel, referralSchema)(many);
    expect(reads).toBe(many.length);
    const times = sorted.map((r) => Date.parse(r.createdDateTime as string));
    expect(times.every((t, i) => i === 0 || times[i - 1]! >= t)).toBe(true);
    expect(sorted.map((r) => r.id).sort()).toEqual(many.map((r) => r.id).sort());
    expect(many[0]!.id).toBe('0'); // the input is not reordered
  });

  it('returns the same first rows with a limit (bounded heap) as a full sort, ties and nulls included', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c', 'B'), { nil: undefined });
    const row = fc.record({ name: value, details: fc.record({ dealValue: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }) });
    const orderBy = fc.constantFrom('name', 'name desc', 'details/dealValue desc, name', 'name, details/dealValue desc');
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), orderBy, fc.nat({ max: 70 }), (items, order, limit) => {
        const rowsWithIds: Row[] = items.map((r, i) => ({ ...r, id: String(i) }));
        const sort = compileOrderBy(parseOrderBy(order), schemaModel, referralSchema);
        expect(sort(rowsWithIds, limit).map((r) => r.id)).toEqual(sort(rowsWithIds).slice(0, limit).map((r) => r.id));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a date/time that does not parse with the nulls, as before', () => {
    const odd: Row[] = [{ id: 'x', createdDateTime: '2026-01-01T00:00:00Z' }, { id: 'y', createdDateTime: 'not a date' }, { id: 'z' }];
    expect(compileOrderBy(parseOrderBy('createdDateTime'), schemaModel, referralSchema)(odd).map((r) => r.id)).toEqual(['y', 'z', 'x']);
  });

  it.each([
    ['nope', "unknown field 'nope'"],
    ['customerProfile', "'customerProfile' is an object"],
    ['team', "'team' is a collection"],
    ['createdDateTime sideways', 'not a valid expression at position 0'],
    ['a,,b', 'empty list item at position 2'],
    ['tolower(name)', 'only property paths can be sorted on'],
  ])('rejects %j', (value, message) => {
    const err = rejection(() => compileOrderBy(parseOrderBy(value), schemaModel, referralSchema));
    expect(err.code).toBe('InvalidOrderBy');
    expect(err.message).toContain(message);
  });
});

describe('$select', () => {
  const project = (value: string) => compileSelect(parseSelect(value), schemaModel, referralSchema);

  it('keeps the selected fields, nested paths and array members included', () => {
    expect(project('id,status')(rows[0]!)).toEqual({ id: 'a', status: 'New' });
    expect(project('id, customerProfile/address/country')(rows[1]!)).toEqual({ id: 'b', customerProfile: { address: { country: 'DE' } } });
    expect(project('team/email')(rows[0]!)).toEqual({ team: [{ email: 'a@b.com' }, { email: 'x@y.com' }] });
    expect(project('details,details/currency')(rows[1]!)).toEqual({ details: rows[1]!.details });
    expect(project('*')(rows[2]!)).toBe(rows[2]);
    expect(project('details/dealValue')(rows[2]!)).toEqual({ details: {} });
  });

  it('rejects unknown fields with their position', () => {
    const err = rejection(() => project('id, nmae'));
    expect(err.code).toBe('InvalidSelect');
    expect(err.message).toContain("unknown field 'nmae' on Referral (at position 4)");
  });
});

describe('list query options', () => {
  const parse = (query: string, max = 100) => parseListQuery(new URLSearchParams(query), max, schemaModel, referralSchema);

  it('treats $top as the page size, capped at the maximum', () => {
    expect(parse('$top=2').state.pageSize).toBe(2);
    expect(parse('$top=500').state.pageSize).toBe(100);
    expect(parse('').state.pageSize).toBe(100);
    expect(parse('$top=30', 25).state.pageSize).toBe(25);
  });

  it.each([
    ['$top=-1', 'InvalidTop', "$top must be a positive integer, got '-1'"],
    ['$top=abc', 'InvalidTop', "got 'abc'"],
    ['$top=0', 'InvalidTop', "got '0'"],
    ['$top=1.5', 'InvalidTop', "got '1.5'"],
    ['$skip=-3', 'InvalidSkip', "$skip must be a non-negative integer, got '-3'"],
    ['$count=yes', 'InvalidCount', "$count must be true or false, got 'yes'"],
    ['$search=foo', 'UnsupportedQueryOption', "'$search' is not supported"],
    ['$top=1&$top=2', 'DuplicateQueryOption', "'$top' is given more than once"],
    ['$skiptoken=nope!', 'InvalidSkipToken', 'not one this service issued'],
    [`$skiptoken=${Buffer.from('{"offset":"x"}').toString('base64url')}`, 'InvalidSkipToken', 'not one this service issued'],
    ['$expand=nothing', 'InvalidExpand', "unknown field 'nothing'"],
  ])('rejects %s', (query, code, message) => {
    const err = rejection(() => parse(query));
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
  });

  it('ignores parameters that are not query options', () => {
    expect(parse('api-version=1&foo=bar').state).toEqual({ count: false, pageSize: 100, offset: 0 });
  });

  it('pages with a skiptoken that carries the whole query', () => {
    const first = parse("$filter=status ne 'Closed'&$orderby=createdDateTime desc&$top=1&$count=true");
    const page1 = runListQuery(rows, first);
    expect(page1.items.map((r) => r.id)).toEqual(['b']);
    expect(page1.total).toBe(2);
    const second = parse(`$skiptoken=${encodeSkipToken(page1.next!)}&$top=99`);
    expect(second.state).toEqual({ ...first.state, offset: 1 });
    const page2 = runListQuery(rows, second);
    expect(page2.items.map((r) => r.id)).toEqual(['a']);
    expect(page2.next).toBeUndefined();
  });

  it('applies $skip before paging', () => {
    const page = runListQuery(rows, parse('$skip=1&$top=1'));
    expect(page.items.map((r) => r.id)).toEqual(['b']);
    expect(page.next?.offset).toBe(2);
  });
});
