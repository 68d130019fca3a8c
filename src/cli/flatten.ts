/**
 * Referrals as flat CSV rows and back. Column names are the JSON path of each value: object
 * members joined with `.`, array items as `[i]`, e.g. `customerProfile.address.city` and
 * `customerProfile.team[0].email`. Cells hold strings as they are, numbers and booleans as their
 * JSON text, an empty array as `[]` and an empty object as `{}`. An empty string is a quoted
 * empty cell (`""`); a null or missing member is an unquoted empty cell, read back as missing.
 * Reading a row back types each cell by the spec's Referral schema, so a string that looks like
 * a number stays a string. Quoting and escaping are csv-stringify's and csv-parse's (RFC 4180).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { type?: string; $ref?: string; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[] };

/** Flattens one referral into `columns` (added to in order of first appearance) and returns its row. */
function flatten(value: unknown, columns: Map<string, number>): Record<string, string> {
  const row: Record<string, string> = {};
  const put = (path: string, cell: string) => {
    if (!columns.has(path)) columns.set(path, columns.size);
    row[path] = cell;
  };
  const walk = (v: unknown, path: string) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      if (!v.length) put(path, '[]');
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (typeof v === 'object') {
      const before = Object.keys(row).length;
      for (const [k, item] of Object.entries(v)) walk(item, path ? `${path}.${k}` : k);
      // Empty, or only null members: still an object.
      if (Object.keys(row).length === before && path) put(path, '{}');
    } else {
      put(path, typeof v === 'string' ? v : JSON.stringify(v));
    }
  };
  walk(value, '');
  return row;
}

const SEGMENT = /([^.[\]]+)|\[(\d+)\]/g;

/** CSV text of `referrals`: a header row of every column any of them has, then one row each. */
export function toCsv(referrals: Iterable<unknown>): string {
  const columns = new Map<string, number>();
  const rows = [...referrals].map((r) => flatten(r, columns));
  // Quote only real empty strings: a cell a row lacks stays unquoted, so it reads back as missing.
  return stringify(rows, { header: true, columns: [...columns.keys()], quoted_match: /^$/ });
}

/** The referrals of CSV text written by {@link toCsv} (or edited in a spreadsheet). */
export function fromCsv(text: string): Record<string, Json>[] {
  const rows = parse(text, {
    columns: true,
    // Only a quoted empty cell is an empty string; an unquoted one is a missing value.
    cast: (value: string, context: { quoting: boolean }) => (value === '' && !context.quoting ? undefined : value),
  }) as Record<string, string | undefined>[];
  return rows.map(unflatten);
}

/** Rebuilds a referral from a CSV row keyed by column name; the inverse of {@link flatten}. */
function unflatten(row: Record<string, string | undefined>): Record<string, Json> {
  const root: Record<string, Json> = {};
  for (const [column, cell] of Object.entries(row)) {
    if (cell === undefined) continue;
    const keys = [...column.matchAll(SEGMENT)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
    if (!keys.length || keys.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[') !== column) {
      throw new TypeError(`CSV column "${column}" is not a path such as customerProfile.team[0].email`);
    }
    let node: Record<string, Json> | Json[] = root;
    let schema: Schema | undefined = referralSchema();
    keys.forEach((key, i) => {
      schema = childSchema(schema, key);
      const last = i === keys.length - 1;
      const slot = node as Record<string | number, Json>;
      if (last) slot[key] = typed(cell, schema, column);
      else node = (slot[key] ??= typeof keys[i + 1] === 'number' ? [] : {}) as Record<string, Json> | Json[];
    });
  }
  return root;
}

function typed(cell: string, schema: Schema | undefined, column: string): Json {
  const type = schema?.type;
  if (cell === '[]' && type === 'array') return [];
  if (cell === '{}' && type === 'object') return {};
  if (type === 'number' || type === 'integer') {
    const n = Number(cell);
    if (!Number.isFinite(n)) throw new TypeError(`CSV column "${column}" must hold a number, got "${cell}"`);
    return n;
  }
  if (type === 'boolean') {
    if (cell !== 'true' && cell !== 'false') throw new TypeError(`CSV column "${column}" must hold true or false, got "${cell}"`);
    return cell === 'true';
  }
  return cell;
}

let spec: { components: { schemas: Record<string, Schema> } } | undefined;
// Each schema resolved once ($ref followed, allOf merged), not once per cell.
const resolved = new WeakMap<Schema, Schema | undefined>();
let referral: Schema | undefined;

function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (resolved.has(schema)) return resolved.get(schema);
  let s: Schema | undefined = schema;
  for (let i = 0; s?.$ref && i < 20; i++) s = spec!.components.schemas[s.$ref.split('/').pop()!];
  const out = s?.allOf ? (Object.assign({}, ...s.allOf.map(resolve)) as Schema) : s;
  resolved.set(schema, out);
  return out;
}

function referralSchema(): Schema | undefined {
  spec ??= JSON.parse(readFileSync(join(packageRoot(), 'generated', 'referrals.openapi.json'), 'utf8')) as typeof spec;
  referral ??= resolve({ $ref: '#/components/schemas/Referral' });
  return referral;
}

/** The schema of member `key` (or any item, for a number) of the resolved `schema`. */
function childSchema(schema: Schema | undefined, key: string | number): Schema | undefined {
  return resolve(typeof key === 'number' ? schema?.items : schema?.properties?.[key]);
}
