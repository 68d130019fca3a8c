/** One page of a list answer: the items and the link to the next page, as OData puts them. */
export interface ODataPage<T> {
  /** The items of this page. */
  value?: T[] | undefined;
  /** Absolute URL of the next page; absent on the last one. */
  '@odata.nextLink'?: string | undefined;
}

/**
 * Every item of a paged list. Each `for await` starts again from the first
 * page; a page is only requested when the loop needs its first item, so
 * breaking out never costs another call.
 */
export interface PagedList<T, P extends ODataPage<T>> extends AsyncIterable<T> {
  /**
   * The pages themselves (with `@odata.count` and `@odata.nextLink`).
   * Pass a page's `@odata.nextLink` as `continuationToken` to resume there.
   */
  byPage(settings?: { continuationToken?: string | undefined }): AsyncIterableIterator<P>;
}

/** `fetchPage(undefined)` fetches the first page, `fetchPage(link)` a next link. */
export function pagedList<T, P extends ODataPage<T>>(fetchPage: (nextLink: string | undefined) => Promise<P>): PagedList<T, P> {
  async function* byPage(settings?: { continuationToken?: string | undefined }): AsyncIterableIterator<P> {
    let link = settings?.continuationToken;
    for (;;) {
      const page = await fetchPage(link);
      yield page;
      const next = page['@odata.nextLink'];
      if (!next) return;
      // A server that hands back the same link would loop forever.
      if (next === link) throw new Error(`@odata.nextLink repeats the page just read (${next})`);
      link = next;
    }
  }
  return {
    byPage,
    async *[Symbol.asyncIterator]() {
      for await (const page of byPage()) yield* page.value ?? [];
    },
  };
}
