/**
 * Turns a type-checked `$filter` plan (built by `compile.ts`) into the function run per row:
 * generated JavaScript, one function per distinct filter (plain property reads, literals as
 * constants), or closures where the host refuses `new Function`. Same semantics both ways;
 * neither allocates per row (a lambda's current item is a local variable or a reused slot).
 * Why generating code is safe, and what it buys: README.md, "How a $filter runs".
 */
import type { ComparisonOperator } from './ast.js';

export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

/** How two values compare: as the type both sides have, as instants, or untyped. */
export type Mode = 'string' | 'number' | 'boolean' | 'datetime' | 'loose';

/** A value read from the row. `variable` numbers the lambda whose current item a path starts at. */
export type Value =
  | { op: 'literal'; value: string | number | boolean | null }
  | { op: 'read'; variable?: number; path: readonly string[] }
  | { op: 'text'; fn: 'tolower' | 'toupper' | 'trim' | 'length'; arg: Value }
  | { op: 'match'; fn: 'contains' | 'startswith' | 'endswith'; text: Value; part: Value }
  | { op: 'nonEmpty'; items: Value }
  | { op: 'lambda'; any: boolean; items: Value; variable: number; outer: readonly number[]; test: Test };

/**
 * A condition on the row. Comparison rules: in `mode`, a value of another type counts as null
 * (date/time: text that is not a timestamp too); eq/ne treat null as equal to null; gt/ge/lt/le
 * are false when either side is null or the two differ in type (untyped fields).
 * `versus` compares with a literal that is not null and already has the type values are
 * compared as (epoch ms for date/time), so `v === c` is eq and a typeof check is normalising.
 */
export type Test =
  | { op: 'and' | 'or'; left: Test; right: Test }
  | { op: 'not'; test: Test }
  | { op: 'isTrue'; value: Value }
  | { op: 'isNull' | 'notNull'; value: Value }
  | { op: 'versus'; mode: Mode; cmp: ComparisonOperator; value: Value; literal: string | number | boolean }
  | { op: 'between'; mode: Mode; cmp: ComparisonOperator; left: Value; right: Value };

export interface Plan {
  test: Test;
  /** How many lambdas (slots) the plan numbers. */
  lambdas: number;
}

export function has(obj: unknown, key: string): obj is Record<string, unknown> {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Reads `path` below `base`: an own field of a (non-array) object at every step, else undefined. */
export function readPath(base: unknown, path: readonly string[]): unknown {
  let value = base;
  for (const segment of path) {
    if (!has(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}

/** One step of `readPath`. */
const own = (value: unknown, name: string): unknown => (has(value, name) ? value[name] : undefined);

/**
 * Names a JSON value can answer without owning them: inherited from the prototypes of objects,
 * arrays, strings, numbers and booleans (`constructor`, `length`, `__proto__`, ...) and indices
 * into arrays and strings. For every other name, `value?.[name]` on JSON data is the value's
 * own field or undefined, exactly what `readPath` answers, without its per-step checks.
 */
function plainName(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && ![Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype].some((p) => name in p);
}

export function toInstant(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** `toInstant` with NaN for "not an instant": compares false with every number, as null would. */
const instant = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN);

const isArray = Array.isArray;

export function makePredicate(plan: Plan, options: { generate?: boolean } = {}): Predicate {
  if (options.generate !== false && !generationRefused) {
    const source = generate(plan.test);
    const cached = generated.get(source);
    if (cached) {
      generated.delete(source); // most recently used last
      generated.set(source, cached);
      return cached;
    }
    let made: Predicate | undefined;
    try {
      made = (new Function('own', 'instant', 'toInstant', 'isArray', source) as (...helpers: unknown[]) => Predicate)(own, instant, toInstant, isArray);
    } catch (err) {
      // EvalError: the host forbids code generation; say so once and use closures from now on.
      if (!(err instanceof EvalError)) throw err;
      generationRefused = true;
    }
    if (made) {
      generated.set(source, made);
      if (generated.size > GENERATED_LIMIT) generated.delete(generated.keys().next().value!);
      return made;
    }
  }
  const slots: unknown[] = new Array(plan.lambdas).fill(undefined);
  return closure(plan.test, slots);
}

let generationRefused = false;
const GENERATED_LIMIT = 200;
const generated = new Map<string, Predicate>();

// ---------------------------------------------------------------------------------------------
// Generated code

/** Emits one function's body; `t0`, `t1`, ... are its temporaries. */
class Body {
  private temps = 0;

  constructor(private readonly lambdas: string[]) {}

  temp(): string {
    return `t${this.temps++}`;
  }

  declarations(): string {
    return this.temps ? `let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(', ')};` : '';
  }

  value(v: Value): string {
    switch (v.op) {
      case 'literal':
        return literalSource(v.value);
      case 'read': {
        let code = v.variable === undefined ? 'r' : `v${v.variable}`;
        v.path.forEach((name, i) => {
          // The row is an object; below it (and from a lambda item) any value may be null.
          if (!plainName(name)) code = `own(${code}, ${JSON.stringify(name)})`;
          else code = i === 0 && v.variable === undefined ? `${code}[${JSON.stringify(name)}]` : `${code}?.[${JSON.stringify(name)}]`;
        });
        return code;
      }
      case 'text': {
        const t = this.temp();
        const apply = v.fn === 'length' ? `${t}.length` : v.fn === 'trim' ? `${t}.trim()` : v.fn === 'tolower' ? `${t}.toLowerCase()` : `${t}.toUpperCase()`;
        return `(typeof (${t} = ${this.value(v.arg)}) === "string" ? ${apply} : null)`;
      }
      case 'match': {
        const method = v.fn === 'contains' ? 'includes' : v.fn === 'startswith' ? 'startsWith' : 'endsWith';
        const t = this.temp();
        const text = `typeof (${t} = ${this.value(v.text)}) === "string"`;
        if (v.part.op === 'literal' && typeof v.part.value === 'string') return `(${text} && ${t}.${method}(${literalSource(v.part.value)}))`;
        const p = this.temp();
        return `(${text} && typeof (${p} = ${this.value(v.part)}) === "string" && ${t}.${method}(${p}))`;
      }
      case 'nonEmpty': {
        const t = this.temp();
        return `(isArray(${t} = ${this.value(v.items)}) && ${t}.length > 0)`;
      }
      case 'lambda': {
        const name = `l${v.variable}`;
        const item = `v${v.variable}`;
        const params = ['r', ...v.outer.map((o) => `v${o}`)];
        const body = new Body(this.lambdas);
        const items = body.value(v.items);
        const test = body.test(v.test);
        // A missing or non-array collection has no items: any() is false, all() true.
        const loop = v.any
          ? `for (let i = 0; i < c.length; i++) { const ${item} = c[i]; if (${test}) return true; } return false;`
          : `for (let i = 0; i < c.length; i++) { const ${item} = c[i]; if (!${test}) return false; } return true;`;
        this.lambdas.push(`const ${name} = function (${params.join(', ')}) { ${body.declarations()} const c = ${items}; if (!isArray(c)) return ${!v.any}; ${loop} };`);
        return `${name}(${params.join(', ')})`;
      }
    }
  }

  test(t: Test): string {
    switch (t.op) {
      case 'and':
        return `(${this.test(t.left)} && ${this.test(t.right)})`;
      case 'or':
        return `(${this.test(t.left)} || ${this.test(t.right)})`;
      case 'not':
        return `!${this.test(t.test)}`;
      case 'isTrue':
        return `(${this.value(t.value)} === true)`;
      case 'isNull':
        return `(${this.value(t.value)} == null)`;
      case 'notNull':
        return `(${this.value(t.value)} != null)`;
      case 'versus': {
        const c = literalSource(t.literal);
        const operator = JS_OPERATOR[t.cmp];
        if (t.mode === 'datetime') return `(instant(${this.value(t.value)}) ${operator} ${c})`;
        if (t.cmp === 'eq' || t.cmp === 'ne') return `(${this.value(t.value)} ${operator} ${c})`;
        const v = this.temp();
        return `(typeof (${v} = ${this.value(t.value)}) === ${JSON.stringify(typeof t.literal)} && ${v} ${operator} ${c})`;
      }
      case 'between': {
        const a = this.temp();
        const b = this.temp();
        const normalised = (v: Value): string => {
          const code = this.value(v);
          if (t.mode === 'datetime') return `toInstant(${code})`;
          if (t.mode === 'loose') return code;
          const x = this.temp();
          return `(typeof (${x} = ${code}) === ${JSON.stringify(t.mode)} ? ${x} : void 0)`;
        };
        const both = `${a} = ${normalised(t.left)}, ${b} = ${normalised(t.right)}`;
        if (t.cmp === 'eq') return `(${both}, ${a} === ${b} || (${a} == null && ${b} == null))`;
        if (t.cmp === 'ne') return `(${both}, !(${a} === ${b} || (${a} == null && ${b} == null)))`;
        return `(${both}, ${a} != null && ${b} != null && typeof ${a} === typeof ${b} && ${a} ${JS_OPERATOR[t.cmp]} ${b})`;
      }
    }
  }
}

const JS_OPERATOR: Record<ComparisonOperator, string> = { eq: '===', ne: '!==', gt: '>', ge: '>=', lt: '<', le: '<=' };

/** A literal as JavaScript source: JSON is valid JavaScript for strings, finite numbers, booleans and null. */
function literalSource(value: string | number | boolean | null): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`$filter plan holds a non-finite number (${value})`);
  return JSON.stringify(value);
}

/** The factory's source: lambda helpers first, then the predicate. */
function generate(test: Test): string {
  const lambdas: string[] = [];
  const body = new Body(lambdas);
  const expression = body.test(test);
  return `"use strict"; ${lambdas.join(' ')} return function filter(r) { ${body.declarations()} return ${expression}; };`;
}

// ---------------------------------------------------------------------------------------------
// Closures

type Getter = (row: Row) => unknown;
type Any = Record<string, unknown> | null | undefined;

function closure(t: Test, slots: unknown[]): Predicate {
  switch (t.op) {
    case 'and': {
      const l = closure(t.left, slots);
      const r = closure(t.right, slots);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = closure(t.left, slots);
      const r = closure(t.right, slots);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const inner = closure(t.test, slots);
      return (row) => !inner(row);
    }
    case 'isTrue': {
      const get = getter(t.value, slots);
      return (row) => get(row) === true;
    }
    case 'isNull': {
      const get = getter(t.value, slots);
      return (row) => get(row) == null;
    }
    case 'notNull': {
      const get = getter(t.value, slots);
      return (row) => get(row) != null;
    }
    case 'versus':
      return versus(t.mode, t.cmp, getter(t.value, slots), t.literal);
    case 'between':
      return between(t.mode, t.cmp, getter(t.left, slots), getter(t.right, slots));
  }
}

function versus(mode: Mode, cmp: ComparisonOperator, get: Getter, c: string | number | boolean): Predicate {
  if (mode === 'datetime' && typeof c === 'number') {
    switch (cmp) {
      case 'eq':
        return (row) => instant(get(row)) === c;
      case 'ne':
        return (row) => instant(get(row)) !== c;
      case 'gt':
        return (row) => instant(get(row)) > c;
      case 'ge':
        return (row) => instant(get(row)) >= c;
      case 'lt':
        return (row) => instant(get(row)) < c;
      case 'le':
        return (row) => instant(get(row)) <= c;
    }
  }
  const type = typeof c;
  switch (cmp) {
    case 'eq':
      return (row) => get(row) === c;
    case 'ne':
      return (row) => get(row) !== c;
    case 'gt':
      return (row) => {
        const v = get(row);
        return typeof v === type && (v as typeof c) > c;
      };
    case 'ge':
      return (row) => {
        const v = get(row);
        return typeof v === type && (v as typeof c) >= c;
      };
    case 'lt':
      return (row) => {
        const v = get(row);
        return typeof v === type && (v as typeof c) < c;
      };
    case 'le':
      return (row) => {
        const v = get(row);
        return typeof v === type && (v as typeof c) <= c;
      };
  }
}

function between(mode: Mode, cmp: ComparisonOperator, lg: Getter, rg: Getter): Predicate {
  const normalise: (v: unknown) => unknown = mode === 'datetime' ? toInstant : mode === 'loose' ? (v) => v : (v) => (typeof v === mode ? v : undefined);
  const same = (row: Row): boolean => {
    const a = normalise(lg(row));
    const b = normalise(rg(row));
    return a === b || (a == null && b == null);
  };
  if (cmp === 'eq') return same;
  if (cmp === 'ne') return (row) => !same(row);
  const order =
    cmp === 'gt'
      ? (a: string | number | boolean, b: string | number | boolean) => a > b
      : cmp === 'ge'
        ? (a: string | number | boolean, b: string | number | boolean) => a >= b
        : cmp === 'lt'
          ? (a: string | number | boolean, b: string | number | boolean) => a < b
          : (a: string | number | boolean, b: string | number | boolean) => a <= b;
  return (row) => {
    const a = normalise(lg(row));
    const b = normalise(rg(row));
    if (a == null || b == null || typeof a !== typeof b) return false;
    return order(a as string, b as string);
  };
}

function getter(v: Value, slots: unknown[]): Getter {
  switch (v.op) {
    case 'literal': {
      const value = v.value;
      return () => value;
    }
    case 'read':
      return reader(v.path, v.variable, slots);
    case 'text': {
      const arg = getter(v.arg, slots);
      const apply = v.fn === 'length' ? (x: string) => x.length : v.fn === 'trim' ? (x: string) => x.trim() : v.fn === 'tolower' ? (x: string) => x.toLowerCase() : (x: string) => x.toUpperCase();
      return (row) => {
        const x = arg(row);
        return typeof x === 'string' ? apply(x) : null;
      };
    }
    case 'match': {
      const text = getter(v.text, slots);
      const part = getter(v.part, slots);
      const fn = v.fn;
      return (row) => {
        const x = text(row);
        if (typeof x !== 'string') return false;
        const y = part(row);
        if (typeof y !== 'string') return false;
        return fn === 'contains' ? x.includes(y) : fn === 'startswith' ? x.startsWith(y) : x.endsWith(y);
      };
    }
    case 'nonEmpty': {
      const items = getter(v.items, slots);
      return (row) => {
        const list = items(row);
        return isArray(list) && list.length > 0;
      };
    }
    case 'lambda': {
      const items = getter(v.items, slots);
      const test = closure(v.test, slots);
      const { any, variable } = v;
      // A missing or non-array collection has no items: any() is false, all() true.
      return (row) => {
        const list = items(row);
        let result = !any;
        if (isArray(list)) {
          for (let i = 0; i < list.length; i++) {
            slots[variable] = list[i];
            if (test(row) === any) {
              result = any;
              break;
            }
          }
          slots[variable] = undefined; // do not keep the item alive after the row
        }
        return result;
      };
    }
  }
}

/** A path below the row or a lambda's current item: one closure per path length. */
function reader(path: readonly string[], variable: number | undefined, slots: unknown[]): Getter {
  const steps = [...path];
  if (!steps.every(plainName)) return variable === undefined ? (row) => readPath(row, steps) : () => readPath(slots[variable], steps);
  const [a = '', b = ''] = steps;
  if (variable !== undefined) {
    if (steps.length === 0) return () => slots[variable];
    if (steps.length === 1) return () => (slots[variable] as Any)?.[a];
    return () => readPlain(slots[variable], steps);
  }
  if (steps.length === 1) return (row) => row[a];
  if (steps.length === 2) return (row) => (row[a] as Any)?.[b];
  return (row) => readPlain(row, steps);
}

/** `readPath` for names `plainName` accepts. */
function readPlain(base: unknown, path: readonly string[]): unknown {
  let value = base;
  for (let i = 0; i < path.length && value != null; i++) value = (value as Record<string, unknown>)[path[i]!];
  return value;
}
