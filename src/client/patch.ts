/** The only JSON Patch operations the Referrals API accepts. */
export interface PatchOp {
  op: 'add' | 'replace';
  path: string;
  value?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Pointer segment escaping (RFC 6901). */
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (!isObject(a) || !isObject(b) || Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
}

/**
 * JSON Patch turning `before` into `after` with only `add` and `replace`.
 *
 * Objects are compared member by member; arrays of equal length element by
 * element, longer arrays gain `add …/-` operations and shorter ones are
 * replaced whole. A member present before and missing (or undefined) after
 * cannot be expressed, so it is an error naming the member. Paths for which
 * `readOnly(segments)` is true are skipped: server-owned fields are never sent.
 */
export function diffPatch(before: unknown, after: unknown, readOnly: (segments: string[]) => boolean = () => false): PatchOp[] {
  const ops: PatchOp[] = [];
  const walk = (a: unknown, b: unknown, segs: string[]) => {
    const path = segs.map((s) => '/' + escape(s)).join('');
    if (segs.length && readOnly(segs)) return;
    if (isObject(a) && isObject(b)) {
      for (const key of Object.keys(a)) {
        if (a[key] !== undefined && b[key] === undefined && !readOnly([...segs, key])) {
          throw new TypeError(
            `The change removes ${path}/${escape(key)}, but the Referrals API accepts only add and replace: set it to null or leave it as it was`,
          );
        }
      }
      for (const key of Object.keys(b)) {
        if (b[key] === undefined) continue;
        if (a[key] === undefined) {
          if (!readOnly([...segs, key])) ops.push({ op: 'add', path: `${path}/${escape(key)}`, value: b[key] });
        } else walk(a[key], b[key], [...segs, key]);
      }
    } else if (Array.isArray(a) && Array.isArray(b) && b.length >= a.length) {
      a.forEach((v, i) => walk(v, b[i], [...segs, String(i)]));
      for (const v of b.slice(a.length)) ops.push({ op: 'add', path: `${path}/-`, value: v });
    } else if (!jsonEqual(a, b)) {
      ops.push({ op: 'replace', path, value: b });
    }
  };
  walk(before, after, []);
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
