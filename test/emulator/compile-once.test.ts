/**
 * A $filter is parsed and compiled once per request, not re-interpreted per row: the parser
 * library is called once per list call however many referrals there are.
 */
import { describe, expect, it, vi } from 'vitest';
import { allPages, BASE, newEmulator } from './helpers.js';

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
  it('parses $filter and $orderby once per request, not per row', async () => {
    const em = newEmulator({ count: 300 });
    const pages = await allPages(em, `${BASE}/referrals?$filter=${encodeURIComponent("status ne 'Closed' and details/dealValue gt 0")}&$orderby=createdDateTime desc&$top=100`);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap((p) => p.value).length).toBeGreaterThan(150);
    expect(calls.filter).toBe(pages.length);
    expect(calls.query).toBe(pages.length);
  });
});
