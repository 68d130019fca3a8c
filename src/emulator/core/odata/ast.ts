/**
 * The small AST the emulator compiles. `odata-v4-parser` produces a much larger token tree
 * (every ABNF rule is a node); `parse.ts` reduces it to this and rejects what we do not run.
 * `pos` is the 0-based character offset in the query option's (URL-decoded) value.
 */
export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'datetime' | 'guid';

export interface LiteralNode {
  kind: 'literal';
  type: LiteralType;
  /** string, number, boolean, null; datetime literals keep their text and are compared as instants. */
  value: string | number | boolean | null;
  pos: number;
  raw: string;
}

/** A property path, optionally starting at a lambda variable (`t/email` inside `any(t: ...)`). */
export interface MemberNode {
  kind: 'member';
  variable?: string;
  path: string[];
  pos: number;
  raw: string;
}

export interface CallNode {
  kind: 'call';
  name: string;
  args: OperandNode[];
  pos: number;
  raw: string;
}

export interface LambdaNode {
  kind: 'lambda';
  quantifier: 'any' | 'all';
  collection: MemberNode;
  /** Absent for the argument-less `any()` (collection is not empty). */
  variable?: string;
  predicate?: BoolNode;
  pos: number;
  raw: string;
}

export type OperandNode = LiteralNode | MemberNode | CallNode | LambdaNode;

export interface LogicalNode {
  kind: 'and' | 'or';
  left: BoolNode;
  right: BoolNode;
  pos: number;
}

export interface NotNode {
  kind: 'not';
  operand: BoolNode;
  pos: number;
}

export interface ComparisonNode {
  kind: 'compare';
  op: ComparisonOperator;
  left: OperandNode;
  right: OperandNode;
  pos: number;
  raw: string;
}

/** A boolean-valued operand used as a predicate on its own (`favorite`, `contains(...)`, `any(...)`). */
export interface TruthNode {
  kind: 'truth';
  operand: OperandNode;
  pos: number;
}

export type BoolNode = LogicalNode | NotNode | ComparisonNode | TruthNode;

export interface OrderByItem {
  path: string[];
  descending: boolean;
  pos: number;
  raw: string;
}

export interface SelectItem {
  path: string[];
  pos: number;
  raw: string;
}
