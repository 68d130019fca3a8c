import { isObject } from './check.js';

/** The only JSON Patch operations the Referrals API accepts. */
export interface PatchOp {
  /** `add` (new member or array item) or `replace` (existing member). */
  op: 'add' | 'replace';
  /** JSON Pointer (RFC 6901) of the member, e.g. `/details/notes` or `/team/-`. */
  path: string;
  /** The new value. */
  value?: unknown;
}

/** JSON Pointer segment escaping (RFC 6901). */
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * JSON equality as the server sees it: undefined members are absent. Member
 * order counts, which can only cost a redundant replace of an equal value.
 */
export const jsonEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * JSON Patch turning `before` into `after` with only `add` and `replace`.
 *
 * Objects are compared member by member; arrays of equal length element by
 * element, longer arrays gain `add …/-` operations and shorter ones are
 * replaced whole. A member present before and missing (or undefined) after
 * cannot be expressed, so it is an error naming the member. Members for which
 * `readOnly(pattern)` is true are skipped, changed or dropped: server-owned
 * fields are never sent. `pattern` is the member path without the leading
 * slash and with `*` for array indices, e.g. `customerProfile/isMatchingComplete` or `team/*` (one member of the team).
 */
export function diffPatch(before: unknown, after: unknown, readOnly: (pattern: string) => boolean = () => false): PatchOp[] {
  const ops: PatchOp[] = [];
  const walk = (a: unknown, b: unknown, path: string, pattern: string) => {
    if (isObject(a) && isObject(b)) {
      const member = (key: string) => [`${path}/${escape(key)}`, pattern ? `${pattern}/${key}` : key] as const;
      for (const key of Object.keys(a)) {
        const [p, pat] = member(key);
        if (a[key] !== undefined && b[key] === undefined && !readOnly(pat)) {
          throw new TypeError(`The change removes ${p}, but the API accepts only add and replace: set it to null instead`);
        }
      }
      for (const key of Object.keys(b)) {
        const [p, pat] = member(key);
        if (b[key] === undefined || readOnly(pat)) continue;
        if (a[key] === undefined) ops.push({ op: 'add', path: p, value: b[key] });
        else walk(a[key], b[key], p, pat);
      }
    } else if (Array.isArray(a) && Array.isArray(b) && b.length >= a.length) {
      const item = pattern ? `${pattern}/*` : '*';
      a.forEach((v, i) => walk(v, b[i], `${path}/${i}`, item));
      for (const v of b.slice(a.length)) ops.push({ op: 'add', path: `${path}/-`, value: v });
    } else if (!jsonEqual(a, b)) {
      ops.push({ op: 'replace', path, value: b });
    }
  };
  walk(before, after, '', '');
  return ops;
}

/**
 * True when applying `ops` twice gives the same result as once, so a retry
 * after a lost answer cannot duplicate anything: no `add` that inserts into
 * an array (`…/-` or a numeric index).
 */
export function isIdempotentPatch(ops: readonly PatchOp[]): boolean {
  return ops.every((o) => o.op === 'replace' || !/\/(-|\d+)$/.test(o.path));
}
