/**
 * Compiles the parsed `$filter`/`$orderby`/`$select` once per request into functions that run
 * per row. Every property path is checked against the spec's Referral schema at compile time:
 * unknown fields, comparisons of incompatible types and paths through collections without
 * any()/all() are 400s naming the field and its position, before any row is looked at.
 */
import { badRequest, type ApiError } from '../errors.js';
import type { FieldKind, SchemaModel, SchemaNode } from '../schema-model.js';
import type { BoolNode, CallNode, ComparisonNode, ComparisonOperator, LambdaNode, MemberNode, OperandNode, OrderByItem, SelectItem } from './ast.js';
import { has, makePredicate, readPath, toInstant, type Mode, type Predicate, type Row, type Test, type Value } from './predicate.js';

export type { Predicate, Row } from './predicate.js';
export type Projection = (row: Row) => Row;

type Kind = FieldKind | 'null';

interface Typed {
  value: Value;
  kind: Kind;
  schema: SchemaNode;
  /** Present for literals: their compile-time value (date/time literals as epoch ms). */
  literal?: { type: string; value: string | number | boolean | null };
  pos: number;
  raw: string;
}

/** How an operand appears in messages: literals as written, paths in quotes. */
const shown = (t: Typed) => (t.literal?.type === 'string' ? t.raw : `'${t.raw}'`);

interface Scope {
  model: SchemaModel;
  root: SchemaNode;
  rootName: string;
  /** Lambda variables in scope: their item schema and the number of their lambda. */
  variables: ReadonlyMap<string, { schema: SchemaNode; slot: number }>;
  /** Numbers the lambdas of one filter (shared by the nested scopes). */
  lambdas: { count: number };
}

const filterError = (pos: number, problem: string): ApiError => badRequest('InvalidFilter', `$filter: ${problem} (at position ${pos}).`);

/** Resolves a property path against the schema, naming the first step that does not exist. */
function resolvePath(
  model: SchemaModel,
  start: SchemaNode,
  startName: string,
  path: readonly string[],
  fail: (problem: string) => ApiError,
  allowCollections = false,
): SchemaNode {
  let node = start;
  let where = startName;
  for (const segment of path) {
    const kind = model.kind(node);
    if (kind === 'array' && allowCollections) node = model.items(node);
    else if (kind === 'array') throw fail(`'${where}' is a collection; use ${where}/any(x: x/${segment} ...)`);
    const next = model.property(node, segment);
    if (!next || (kind !== 'object' && kind !== 'any' && kind !== 'array')) {
      throw fail(`unknown field '${segment}'${where === startName ? ` on ${startName}` : ` in '${where}'`}`);
    }
    node = next;
    where = where === startName ? segment : `${where}/${segment}`;
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// $filter: type-checked here into a plan; predicate.ts makes the per-row function from it.

export function compileFilter(node: BoolNode, model: SchemaModel, root: SchemaNode, rootName = 'Referral', options: { generate?: boolean } = {}): Predicate {
  const scope: Scope = { model, root, rootName, variables: new Map(), lambdas: { count: 0 } };
  const test = bool(node, scope);
  return makePredicate({ test, lambdas: scope.lambdas.count }, options);
}

function bool(node: BoolNode, scope: Scope): Test {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { op: node.kind, left: bool(node.left, scope), right: bool(node.right, scope) };
    case 'not':
      return { op: 'not', test: bool(node.operand, scope) };
    case 'compare':
      return comparison(node, scope);
    case 'truth': {
      const operand = typed(node.operand, scope);
      if (operand.kind !== 'boolean' && operand.kind !== 'any') {
        throw filterError(operand.pos, `'${operand.raw}' is not a boolean condition; compare it with eq, ne, gt, ge, lt or le`);
      }
      return { op: 'isTrue', value: operand.value };
    }
  }
}

function typed(node: OperandNode, scope: Scope): Typed {
  switch (node.kind) {
    case 'literal': {
      const value = node.type === 'datetime' ? Date.parse(String(node.value)) : node.value;
      const kind: Kind = node.type === 'guid' ? 'string' : node.type === 'null' ? 'null' : node.type;
      return { value: { op: 'literal', value }, kind, schema: {}, literal: { type: node.type, value }, pos: node.pos, raw: node.raw };
    }
    case 'member':
      return member(node, scope);
    case 'call':
      return call(node, scope);
    case 'lambda':
      return lambda(node, scope);
  }
}

function member(node: MemberNode, scope: Scope): Typed {
  const fail = (problem: string) => filterError(node.pos, problem);
  let start = scope.root;
  let startName = scope.rootName;
  let path = [...node.path];
  let slot: number | undefined;
  const variable = node.variable;
  if (variable !== undefined) {
    const bound = scope.variables.get(variable);
    if (bound) {
      start = bound.schema;
      startName = variable;
      slot = bound.slot;
    } else {
      // Inside a lambda the parser takes every leading identifier for a variable; one that is
      // not bound is a property of the row (`status` in `team/any(t: ... and status eq 'New')`).
      path = [variable, ...path];
    }
  }
  const schema = resolvePath(scope.model, start, startName, path, fail);
  const value: Value = slot === undefined ? { op: 'read', path } : { op: 'read', variable: slot, path };
  return { value, kind: scope.model.kind(schema), schema, pos: node.pos, raw: node.raw };
}

function lambda(node: LambdaNode, scope: Scope): Typed {
  const collection = member(node.collection, scope);
  if (collection.kind !== 'array' && collection.kind !== 'any') {
    throw filterError(node.pos, `'${node.collection.raw}' is not a collection; ${node.quantifier}() needs one`);
  }
  const base = { kind: 'boolean' as const, schema: {}, pos: node.pos, raw: node.raw };
  if (!node.predicate || node.variable === undefined) return { ...base, value: { op: 'nonEmpty', items: collection.value } };
  const variable = node.variable;
  if (scope.variables.has(variable)) throw filterError(node.pos, `lambda variable '${variable}' is already in use`);
  const itemSchema = collection.kind === 'array' ? scope.model.items(collection.schema) : {};
  const slot = scope.lambdas.count++;
  const outer = [...scope.variables.values()].map((v) => v.slot);
  // Paths without the variable inside the predicate still refer to the row being filtered.
  const test = bool(node.predicate, { ...scope, variables: new Map([...scope.variables, [variable, { schema: itemSchema, slot }]]) });
  return { ...base, value: { op: 'lambda', any: node.quantifier === 'any', items: collection.value, variable: slot, outer, test } };
}

const isText = (k: Kind) => k === 'string' || k === 'datetime' || k === 'any';

function call(node: CallNode, scope: Scope): Typed {
  const args = node.args.map((a) => typed(a, scope));
  for (const arg of args) {
    if (!isText(arg.kind) && arg.kind !== 'null') {
      throw filterError(arg.pos, `${node.name}() needs text, but ${shown(arg)} is ${describe(arg.kind)}`);
    }
  }
  const [a, b] = args as [Typed, Typed | undefined];
  const base = { pos: node.pos, raw: node.raw, schema: {} };
  switch (node.name) {
    case 'contains':
    case 'startswith':
    case 'endswith':
      return { ...base, kind: 'boolean', value: { op: 'match', fn: node.name, text: a.value, part: b!.value } };
    case 'tolower':
    case 'toupper':
    case 'trim':
      return { ...base, kind: 'string', value: { op: 'text', fn: node.name, arg: a.value } };
    case 'length':
      return { ...base, kind: 'number', value: { op: 'text', fn: 'length', arg: a.value } };
    default:
      throw filterError(node.pos, `function '${node.name}' is not supported`);
  }
}

function describe(kind: Kind): string {
  switch (kind) {
    case 'datetime':
      return 'a date/time';
    case 'any':
      return 'untyped';
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return 'a collection';
    default:
      return `a ${kind}`;
  }
}

/** How two operands compare, decided from their kinds at compile time. */
function modeOf(l: Typed, r: Typed, node: ComparisonNode): Mode | 'null' {
  for (const side of [l, r]) {
    if (side.kind === 'object' || side.kind === 'array') {
      throw filterError(side.pos, `'${side.raw}' is ${describe(side.kind)}; compare one of its fields${side.kind === 'array' ? ' inside any()' : ''}`);
    }
  }
  if (l.kind === 'null' || r.kind === 'null') {
    if (node.op !== 'eq' && node.op !== 'ne') throw filterError(node.pos, `null can only be compared with eq or ne, not ${node.op}`);
    return 'null';
  }
  if (l.kind === 'any' || r.kind === 'any') return 'loose';
  const kinds = new Set([l.kind, r.kind]);
  if (kinds.size === 1) return l.kind as Mode;
  // Date/time fields compare with quoted or unquoted timestamps; text fields with timestamps too.
  if (kinds.has('datetime') && kinds.has('string')) {
    for (const side of [l, r]) {
      if (side.literal?.type === 'guid') throw filterError(side.pos, `${shown(side)} is a GUID, not a date/time`);
      if (side.literal?.type === 'string' && Number.isNaN(Date.parse(String(side.literal.value)))) {
        throw filterError(side.pos, `${shown(side)} is not a valid date/time`);
      }
    }
    return 'datetime';
  }
  throw filterError(node.pos, `cannot compare ${shown(l)} (${describe(l.kind)}) with ${shown(r)} (${describe(r.kind)})`);
}

/** `a op b` is `b MIRROR[op] a`: a literal on the left moves to the right. */
const MIRROR: Record<ComparisonOperator, ComparisonOperator> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

function comparison(node: ComparisonNode, scope: Scope): Test {
  const l = typed(node.left, scope);
  const r = typed(node.right, scope);
  const mode = modeOf(l, r, node);
  if (mode === 'null') return { op: node.op === 'eq' ? 'isNull' : 'notNull', value: (l.kind === 'null' ? r : l).value };
  const between: Test = { op: 'between', mode, cmp: node.op, left: l.value, right: r.value };
  const versus = (field: Typed, literal: string | number | boolean | null, cmp: ComparisonOperator): Test => {
    // Not null (that is mode 'null') and, after modeOf's checks, of the type compared as: a
    // date/time literal is epoch ms already, a text literal against a date/time parses.
    const value = mode === 'datetime' ? toInstant(literal)! : literal!;
    return { op: 'versus', mode, cmp, value: field.value, literal: value };
  };
  if (r.literal && !l.literal) return versus(l, r.literal.value, node.op);
  if (l.literal && !r.literal) return versus(r, l.literal.value, MIRROR[node.op]);
  return between;
}

// ---------------------------------------------------------------------------------------------
// $orderby

const orderByError = (pos: number, problem: string): ApiError => badRequest('InvalidOrderBy', `$orderby: ${problem} (at position ${pos}).`);

/** Rank of a value's type so mixed untyped values still sort deterministically. */
function sortKey(v: unknown, kind: FieldKind): [number, number | string | boolean] {
  if (v === undefined || v === null) return [0, 0];
  if (kind === 'datetime') {
    const t = toInstant(v);
    return t === undefined ? [0, 0] : [1, t];
  }
  switch (typeof v) {
    case 'boolean':
      return [1, v];
    case 'number':
      return [2, v];
    case 'string':
      return [3, v];
    default:
      return [4, JSON.stringify(v)];
  }
}

/**
 * Sorts rows; returns a new array, `rows` untouched. With `limit`, only the first `limit` rows
 * of the order are returned (what a page needs), found with a bounded heap in n log(limit)
 * instead of sorting everything. Each row's keys are read once per call (not per comparison:
 * n log n path walks and Date.parse calls on 100,000 rows cost most of a list request).
 */
export type Sorter = <T extends Row>(rows: readonly T[], limit?: number) => T[];

/** Sort keys in order; nulls sort first ascending (OData), ties keep store order (stable). */
export function compileOrderBy(items: readonly OrderByItem[], model: SchemaModel, root: SchemaNode, rootName = 'Referral'): Sorter {
  const keys = items.map((item) => {
    const schema = resolvePath(model, root, rootName, item.path, (p) => orderByError(item.pos, p));
    const kind = model.kind(schema);
    if (kind === 'object' || kind === 'array') {
      throw orderByError(item.pos, `'${item.raw}' is ${describe(kind)} and cannot be sorted on; pick one of its fields`);
    }
    return { path: [...item.path], kind, sign: item.descending ? -1 : 1 };
  });
  return <T extends Row>(rows: readonly T[], limit = rows.length): T[] => {
    const columns = keys.map(({ path, kind, sign }) => {
      const ranks = new Uint8Array(rows.length);
      const values: Array<number | string | boolean> = new Array(rows.length);
      rows.forEach((row, i) => {
        [ranks[i], values[i]] = sortKey(readPath(row, path), kind);
      });
      return { ranks, values, sign };
    });
    // A total order on row indices: the keys, then the index (stability).
    const compare = (a: number, b: number): number => {
      for (const { ranks, values, sign } of columns) {
        const ra = ranks[a]!;
        const rb = ranks[b]!;
        if (ra !== rb) return (ra - rb) * sign;
        const va = values[a]!;
        const vb = values[b]!;
        if (va < vb) return -sign;
        if (va > vb) return sign;
      }
      return a - b;
    };
    const order = limit * 4 < rows.length ? smallest(rows.length, Math.max(0, limit), compare) : Array.from({ length: rows.length }, (_, i) => i);
    order.sort(compare);
    return order.slice(0, limit).map((i) => rows[i]!);
  };
}

/** The `k` smallest of indices 0..n-1 under `compare`, unordered (a max-heap of size k). */
function smallest(n: number, k: number, compare: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  const siftDown = (from: number) => {
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && compare(heap[l]!, heap[top]!) > 0) top = l;
      if (r < heap.length && compare(heap[r]!, heap[top]!) > 0) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  };
  for (let i = 0; i < n && k > 0; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const parent = (c - 1) >> 1;
        if (compare(heap[c]!, heap[parent]!) <= 0) break;
        [heap[c], heap[parent]] = [heap[parent]!, heap[c]!];
        c = parent;
      }
    } else if (compare(i, heap[0]!) < 0) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap;
}

// ---------------------------------------------------------------------------------------------
// $select (and $expand, which accepts the same paths and changes nothing: every field is inline)

interface ProjectionTree {
  [field: string]: ProjectionTree | true;
}

export function compileSelect(
  items: readonly SelectItem[],
  model: SchemaModel,
  root: SchemaNode,
  rootName = 'Referral',
  option: '$select' | '$expand' = '$select',
): Projection {
  const code = option === '$select' ? 'InvalidSelect' : 'InvalidExpand';
  const tree: ProjectionTree = {};
  let all = false;
  for (const item of items) {
    if (item.path[0] === '*') {
      all = true;
      continue;
    }
    resolvePath(model, root, rootName, item.path, (p) => badRequest(code, `${option}: ${p} (at position ${item.pos}).`), true);
    let node = tree;
    item.path.forEach((segment, i) => {
      const last = i === item.path.length - 1;
      const existing = node[segment];
      if (existing === true) return; // a shorter path already selects the whole subtree
      if (last) node[segment] = true;
      else node = (existing as ProjectionTree | undefined) ?? (node[segment] = {});
    });
  }
  if (all) return (row) => row;
  return (row) => project(row, tree) as Row;
}

function project(value: unknown, tree: ProjectionTree): unknown {
  if (Array.isArray(value)) return value.map((v) => project(v, tree));
  if (typeof value !== 'object' || value === null) return value;
  const out: Row = {};
  for (const [field, sub] of Object.entries(tree)) {
    if (!has(value, field)) continue;
    out[field] = sub === true ? value[field] : project(value[field], sub);
  }
  return out;
}
