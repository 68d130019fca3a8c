/**
 * Every query-option input that ever hung or crashed the emulator's OData parsing, kept as named
 * regression cases (query-bounds.test.ts runs each under a deadline; `npm run fuzz` starts with
 * them). Each must now answer 400 at once, with a description that contains `expect`.
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
];
