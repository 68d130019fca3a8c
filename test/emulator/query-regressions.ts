/**
 * Every query-option input that ever hung, crashed or took the OData parsing seconds, kept as
 * named regression cases (query-bounds.test.ts runs each under a deadline; `npm run fuzz` starts
 * with them). Those marked "parser" hung or crashed odata-v4-parser itself when fuzzed without the
 * emulator's guards (`npm run fuzz -- --filters-only --worker <module calling parser.filter>`).
 * Each must now answer 400 at once, with a description that contains `expect`.
 */
export interface Regression {
  name: string;
  filter: string;
  expect: string;
}

export const REGRESSIONS: readonly Regression[] = [
  {
    name: "issue 16: odata-v4-parser's JSON string lexer ran past the end of the input and never returned; one request took the whole server down",
    filter: '["#O',
    expect: "unexpected character '[' (U+005B) at position 0",
  },
  {
    name: 'the same loop behind a comparison, found by the property test on the unguarded parser',
    filter: '((registrations\thas ["#O))',
    expect: "unexpected character '[' (U+005B) at position 20",
  },
  {
    name: 'parser: the JSON lexer again, with a quote and a percent sign in the way',
    filter: `["0.'005%`,
    expect: "unexpected character '[' (U+005B) at position 0",
  },
  {
    name: 'parser: 300 nested parentheses never finished (backtracking); the emulator capped nesting already',
    filter: `${'('.repeat(300)}status eq 'New'${')'.repeat(300)}`,
    expect: 'parentheses nest deeper than 32 levels at position 32',
  },
  {
    name: 'parser: a TypeError on a dangling qualified name (the emulator turned it into a 400 already)',
    filter: 'u.',
    expect: 'not a valid expression at position 0',
  },
  {
    name: 'a path of 1,000 segments took the emulator 0.45 s (quadratic in the parser)',
    filter: `${'a/'.repeat(1000)}a eq 1`,
    expect: 'a path has more than 16 segments at position 0',
  },
  {
    name: "2,000 '-' (nested negation) took the emulator 0.37 s",
    filter: `${'-'.repeat(2000)}1 eq 1`,
    expect: "'-' can only be part of a number, date/time or GUID (arithmetic is not supported) at position 0",
  },
  {
    name: "510 'not' took the emulator 50 ms, and chains grow quadratically",
    filter: `${'not '.repeat(510)}favorite`,
    expect: 'more than 100 and/or/not operators at position 400',
  },
];
