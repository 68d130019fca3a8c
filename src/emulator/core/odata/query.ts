/**
 * The list operation's query options, checked and compiled once per request, and the opaque
 * `$skiptoken` that carries them from page to page.
 *
 * Paging follows Partner Center rather than strict OData: `$top` is the page size (capped at
 * the maximum page size), and `@odata.nextLink` keeps paging through every match.
 */
import { badRequest } from '../errors.js';
import type { SchemaModel, SchemaNode } from '../schema-model.js';
import { compileFilter, compileOrderBy, compileSelect, type Predicate, type Projection, type Sorter } from './compile.js';
import { MAX_EXPRESSION_LENGTH, parseFilter, parseOrderBy, parseSelect } from './parse.js';

/** The query options the list operation understands. */
const LIST_OPTIONS = ['$filter', '$orderby', '$select', '$expand', '$top', '$skip', '$count', '$skiptoken'] as const;

/** What a `$skiptoken` encodes: the original options and where the next page starts. */
export interface PageState {
  filter?: string;
  orderby?: string;
  select?: string;
  expand?: string;
  count: boolean;
  pageSize: number;
  offset: number;
}

export interface ListQuery {
  state: PageState;
  predicate?: Predicate;
  sort?: Sorter;
  projection?: Projection;
}

/** $top is at least 1 (the spec's minimum); $skip at least 0; both are int32 (the spec's format). */
function integerOption(name: '$top' | '$skip', raw: string): number {
  const value = /^\d{1,10}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : NaN;
  if (name === '$top' && !(value >= 1)) throw badRequest('InvalidTop', `$top must be a positive integer, got '${raw}'.`);
  if (name === '$skip' && !(value >= 0)) throw badRequest('InvalidSkip', `$skip must be a non-negative integer, got '${raw}'.`);
  return value;
}

// base64url by hand: the core also runs where MSW runs (browsers), without Buffer.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(token: string): string {
  const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/**
 * Longest `$skiptoken` read. Tokens carry up to four options of at most MAX_EXPRESSION_LENGTH
 * UTF-16 units each, and JSON plus UTF-8 make at most 6 bytes of one (`\u0001`), so every token
 * this service issues fits; anything longer is refused before it is decoded.
 */
export const MAX_SKIPTOKEN_LENGTH = Math.ceil((4 * MAX_EXPRESSION_LENGTH * 6 + 256) / 3) * 4;

export function encodeSkipToken(state: PageState): string {
  return toBase64Url(JSON.stringify(state));
}

function decodeSkipToken(token: string): PageState {
  const invalid = () => badRequest('InvalidSkipToken', `$skiptoken is not one this service issued; follow @odata.nextLink as returned.`);
  if (token.length > MAX_SKIPTOKEN_LENGTH) {
    throw badRequest('InvalidSkipToken', `$skiptoken is ${token.length} characters long, longer than any this service issues (${MAX_SKIPTOKEN_LENGTH}).`);
  }
  let state: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
    state = JSON.parse(fromBase64Url(token));
  } catch {
    throw invalid();
  }
  if (typeof state !== 'object' || state === null) throw invalid();
  const s = state as Record<string, unknown>;
  const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const positive = (v: unknown) => count(v) && (v as number) >= 1;
  if (
    !optionalText(s.filter) ||
    !optionalText(s.orderby) ||
    !optionalText(s.select) ||
    !optionalText(s.expand) ||
    typeof s.count !== 'boolean' ||
    !positive(s.pageSize) ||
    !count(s.offset)
  ) {
    throw invalid();
  }
  return s as unknown as PageState;
}

/**
 * Reads the list options from the request's query string. Unknown `$` options and repeated
 * options are 400s; other parameters are ignored like the real service does.
 */
export function parseListQuery(params: URLSearchParams, maxPageSize: number, model: SchemaModel, root: SchemaNode): ListQuery {
  const seen = new Map<string, string>();
  for (const [rawName, value] of params) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('$')) continue;
    if (!(LIST_OPTIONS as readonly string[]).includes(name)) {
      throw badRequest('UnsupportedQueryOption', `Query option '${rawName}' is not supported; use ${LIST_OPTIONS.join(', ')}.`);
    }
    if (seen.has(name)) throw badRequest('DuplicateQueryOption', `Query option '${rawName}' is given more than once.`);
    seen.set(name, value);
  }

  let state: PageState;
  const token = seen.get('$skiptoken');
  if (token !== undefined) {
    // The token carries the original options; anything else sent along is ignored.
    state = decodeSkipToken(token);
    if (state.pageSize > maxPageSize) state = { ...state, pageSize: maxPageSize };
  } else {
    const top = seen.get('$top');
    const skip = seen.get('$skip');
    const count = seen.get('$count');
    if (count !== undefined && !/^(true|false)$/i.test(count)) {
      throw badRequest('InvalidCount', `$count must be true or false, got '${count}'.`);
    }
    state = {
      filter: seen.get('$filter'),
      orderby: seen.get('$orderby'),
      select: seen.get('$select'),
      expand: seen.get('$expand'),
      count: count?.toLowerCase() === 'true',
      pageSize: top === undefined ? maxPageSize : Math.min(integerOption('$top', top), maxPageSize),
      offset: skip === undefined ? 0 : integerOption('$skip', skip),
    };
  }

  const query: ListQuery = { state };
  if (state.filter !== undefined) query.predicate = compileFilter(parseFilter(state.filter), model, root);
  if (state.orderby !== undefined) query.sort = compileOrderBy(parseOrderBy(state.orderby), model, root);
  if (state.select !== undefined) query.projection = compileSelect(parseSelect(state.select), model, root);
  // $expand: every field is inline already; the paths are still checked so typos are 400s.
  if (state.expand !== undefined) compileSelect(parseSelect(state.expand, '$expand'), model, root, 'Referral', '$expand');
  return query;
}

export interface Page<T> {
  items: T[];
  total: number;
  next?: PageState;
}

/** Filters, sorts and slices `rows` as the query says; `rows` is not touched. */
export function runListQuery<T extends Record<string, unknown>>(rows: readonly T[], query: ListQuery): Page<T> {
  const matching = query.predicate ? rows.filter((r) => query.predicate!(r)) : rows;
  const { offset, pageSize } = query.state;
  // Sorting needs only the rows up to the end of this page in order.
  const ordered = query.sort ? query.sort(matching, offset + pageSize) : matching;
  const items = ordered.slice(offset, offset + pageSize);
  const page: Page<T> = { items, total: matching.length };
  if (pageSize > 0 && offset + pageSize < matching.length) page.next = { ...query.state, offset: offset + pageSize };
  return page;
}
