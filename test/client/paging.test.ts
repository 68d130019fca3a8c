import { describe, expect, it } from 'vitest';
import { pagedList, type ODataPage } from '../../src/client/paging.js';

/** Three pages of 2, 2 and 1 items, linked by "p2" and "p3"; records what was fetched. */
function source() {
  const calls: (string | undefined)[] = [];
  const pages: Record<string, ODataPage<number>> = {
    first: { value: [1, 2], '@odata.nextLink': 'p2' },
    p2: { value: [3, 4], '@odata.nextLink': 'p3' },
    p3: { value: [5] },
  };
  const list = pagedList<number, ODataPage<number>>(async (link) => {
    calls.push(link);
    return pages[link ?? 'first']!;
  });
  return { calls, list };
}

describe('pagedList', () => {
  it('yields every item across pages, one fetch per page', async () => {
    const { calls, list } = source();
    const seen: number[] = [];
    for await (const n of list) seen.push(n);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toEqual([undefined, 'p2', 'p3']);
  });

  it('stops fetching when the caller breaks', async () => {
    const { calls, list } = source();
    for await (const n of list) if (n === 2) break;
    expect(calls).toEqual([undefined]);
    for await (const n of list) if (n === 3) break;
    expect(calls).toEqual([undefined, undefined, 'p2']);
  });

  it('byPage yields the pages and resumes from a continuation token', async () => {
    const { calls, list } = source();
    const pages = [];
    for await (const page of list.byPage({ continuationToken: 'p2' })) pages.push(page.value);
    expect(pages).toEqual([[3, 4], [5]]);
    expect(calls).toEqual(['p2', 'p3']);
  });

  it('handles a page without value and refuses a nextLink that repeats', async () => {
    const empty = pagedList<number, ODataPage<number>>(async () => ({}));
    const seen = [];
    for await (const n of empty) seen.push(n);
    expect(seen).toEqual([]);
    const loop = pagedList<number, ODataPage<number>>(async () => ({ value: [1], '@odata.nextLink': 'same' }));
    await expect(async () => {
      for await (const _ of loop);
    }).rejects.toThrow(/@odata.nextLink repeats/);
  });
});
