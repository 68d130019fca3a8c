/**
 * Where the host refuses to generate code (`new Function` throws EvalError under a
 * Content-Security-Policy without 'unsafe-eval', as in a browser page running the MSW mocks),
 * $filter still works, through closures, and the refusal is tried only once. Its own file: the
 * refusal is remembered for the rest of the module's life.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { compileFilter, type Row } from '../../src/emulator/core/odata/compile.js';
import { parseFilter } from '../../src/emulator/core/odata/parse.js';
import { referralSchema, schemaModel } from '../../src/emulator/core/spec.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

it('falls back to closures when generating code is refused, and asks only once', () => {
  const refuse = vi.fn(function () {
    throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source of script");
  });
  vi.stubGlobal('Function', refuse);
  const rows: Row[] = [
    { id: 'a', status: 'Active', details: { dealValue: 200_000 }, team: [{ email: 'ann@contoso.com' }] },
    { id: 'b', status: 'Active', details: { dealValue: 50 }, team: [{ email: 'bob@contoso.com' }] },
    { id: 'c', status: 'New', details: { dealValue: 300_000 } },
  ];
  const ids = (filter: string) => rows.filter(compileFilter(parseFilter(filter), schemaModel, referralSchema)).map((r) => r.id);
  expect(ids("status eq 'Active' and details/dealValue gt 100000")).toEqual(['a']);
  expect(refuse).toHaveBeenCalledTimes(1);
  expect(ids("team/any(t: startswith(t/email, 'b')) or details/dealValue ge 300000")).toEqual(['b', 'c']);
  expect(refuse).toHaveBeenCalledTimes(1);
});
