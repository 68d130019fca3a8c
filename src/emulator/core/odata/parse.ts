/**
 * Parsing of `$filter`, `$orderby` and `$select` with `odata-v4-parser` (the OASIS ABNF turned
 * into a recursive-descent parser), reduced to the AST of `ast.ts`. The grammar subset we accept
 * is documented in `README.md` next to this file. What this wrapper adds to the library:
 *
 * - `not` binds tighter than `and`/`or` (the library lets `not` swallow the rest of the
 *   expression: `not a and b` came back as `not (a and b)`); we flatten the and/or chains in
 *   source order and rebuild them with the OData precedence (`not` > `and` > `or`).
 * - Bounded input: length and parenthesis depth are capped before the library sees the text
 *   (deep nesting overflows its stack; very long chains parse in quadratic time).
 * - Only the characters of the accepted subset reach the library, and never the inside of a
 *   string literal: its JSON-literal lexer runs past the end of some inputs and never returns
 *   (`["#O` hung the whole emulator), and it reads percent-escapes such as `%27` inside strings.
 *   String literals are handed over as same-length `'aaa'` and their values are read from the
 *   caller's text, so positions stay exact. See "Guards around the library" in README.md.
 * - Any library exception (it throws TypeErrors on some garbage) becomes a 400 naming a position.
 */
import * as parser from 'odata-v4-parser';
import { ApiError, badRequest } from '../errors.js';
import type {
  BoolNode,
  CallNode,
  ComparisonOperator,
  LambdaNode,
  LiteralNode,
  MemberNode,
  OperandNode,
  OrderByItem,
  SelectItem,
} from './ast.js';

/** Longest `$filter`/`$orderby`/`$select`/`$expand` value accepted (the spec's `maxLength`). */
export const MAX_EXPRESSION_LENGTH = 2048;
/** Deepest parenthesis nesting accepted. */
export const MAX_NESTING = 32;
/** Most segments in one property path (the Referral schema needs 5). */
export const MAX_PATH_SEGMENTS = 16;
/** Most `and`/`or`/`not` in one `$filter`, and items in one `$orderby`/`$select`/`$expand` list. */
export const MAX_TERMS = 100;

/** Functions the compiler implements, with their arity. */
const FUNCTIONS: Readonly<Record<string, number>> = {
  contains: 2,
  startswith: 2,
  endswith: 2,
  tolower: 1,
  toupper: 1,
  trim: 1,
  length: 1,
};

interface Token {
  type?: string;
  position: number;
  next: number;
  raw: string;
  value: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the library's token values are untyped
}

const COMPARISONS: Record<string, ComparisonOperator> = {
  EqualsExpression: 'eq',
  NotEqualsExpression: 'ne',
  GreaterThanExpression: 'gt',
  GreaterOrEqualsExpression: 'ge',
  LesserThanExpression: 'lt',
  LesserOrEqualsExpression: 'le',
};

const NUMERIC_LITERALS = new Set(['Edm.SByte', 'Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double', 'Edm.Single']);

/** What the error messages call each query option, and the error code they carry. */
const OPTION_CODES = { $filter: 'InvalidFilter', $orderby: 'InvalidOrderBy', $select: 'InvalidSelect', $expand: 'InvalidExpand' } as const;
type OptionName = keyof typeof OPTION_CODES;

class Context {
  /** Index of the first non-blank character of `text`. */
  readonly start: number;

  constructor(
    readonly option: OptionName,
    readonly text: string,
    /** Added to library positions to get offsets in the caller's text. */
    readonly offset: number,
  ) {
    this.start = text.length - text.trimStart().length;
  }

  fail(position: number, problem: string): ApiError {
    const at = Math.max(0, Math.min(position, this.text.length));
    const near = this.text.slice(at, at + 20);
    const where = near ? ` at position ${at} (near ${JSON.stringify(near)})` : ` at position ${at} (end of input)`;
    return badRequest(OPTION_CODES[this.option], `${this.option}: ${problem}${where}.`);
  }

  failToken(token: Token, problem: string): ApiError {
    return this.fail(token.position + this.offset, problem);
  }

  /** What the caller wrote for `token` (the library saw string literals masked). */
  source(token: Token): string {
    return this.text.slice(token.position + this.offset, token.next + this.offset);
  }
}

/**
 * Characters the accepted subset uses outside string literals: identifiers, numbers,
 * date/times and GUIDs, `( ) , / : . - + *`, and blanks. Everything else (`[ { " % $ @ ;`,
 * control characters, ...) is refused here, so it never reaches the library's JSON, alias,
 * percent-escape and search rules, none of which the subset uses.
 */
const ALLOWED_OUTSIDE_STRINGS = /^[A-Za-z0-9_ \t().,/:+*-]$/;

/** What to say about a character the subset does not use, with a hint for the usual mistakes. */
function unexpectedCharacter(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const shown = code < 0x20 || (code >= 0x7f && code <= 0xa0) || (code >= 0xd800 && code <= 0xdfff) ? hex : `'${c}' (${hex})`;
  const hint =
    c === '%' ? '; the value looks percent-encoded twice' : c === '"' ? '; string literals take single quotes' : '';
  return `unexpected character ${shown}${hint}`;
}

/**
 * Rejects what the library must not see (over-long or over-nested input, characters outside
 * the subset, unbalanced quotes and parentheses), then returns `text` with the inside of each
 * string literal replaced by `a`s of the same length: the text the library parses.
 */
function screen(ctx: Context): string {
  const { text } = ctx;
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw badRequest(
      OPTION_CODES[ctx.option],
      `${ctx.option}: the value is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are accepted.`,
    );
  }
  const end = text.trimEnd().length;
  const masked: string[] = [];
  const open: number[] = [];
  let stringStart = -1;
  let wordStart = -1; // start of the current run of identifier characters and '/'
  let segments = 0;
  let terms = 0;
  const endWord = (i: number) => {
    if (wordStart < 0) return;
    if (/^(and|or|not)$/.test(text.slice(wordStart, i)) && ++terms > MAX_TERMS) {
      throw ctx.fail(wordStart, `more than ${MAX_TERMS} and/or/not operators`);
    }
    wordStart = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (stringStart < 0 && /[A-Za-z0-9_./]/.test(c)) {
      if (wordStart < 0) {
        wordStart = i;
        segments = 1;
      } else if (c === '/' && ++segments > MAX_PATH_SEGMENTS) {
        throw ctx.fail(wordStart, `a path has more than ${MAX_PATH_SEGMENTS} segments`);
      }
    } else if (stringStart < 0) {
      endWord(i);
    }
    if (c === "'") {
      stringStart = stringStart < 0 ? i : -1; // '' inside a string toggles twice: still inside
    } else if (stringStart >= 0) {
      masked.push('a');
      continue;
    } else if (i < ctx.start || i >= end) {
      // leading and trailing blanks of any kind: trimmed before parsing
    } else if (!ALLOWED_OUTSIDE_STRINGS.test(c)) {
      throw ctx.fail(i, unexpectedCharacter(String.fromCodePoint(text.codePointAt(i)!)));
    } else if (c === '-' && !/[0-9]/.test(text[i + 1] ?? '') && !(i > 0 && /[0-9A-Fa-f]-[0-9A-Fa-f]/.test(text.slice(i - 1, i + 2)))) {
      // In the subset a '-' starts or continues a number, date or GUID. Negation is arithmetic,
      // which the subset lacks, and chains of it take the library super-linear time.
      throw ctx.fail(i, "'-' can only be part of a number, date/time or GUID (arithmetic is not supported)");
    } else if (c === '(') {
      open.push(i);
      if (open.length > MAX_NESTING) throw ctx.fail(i, `parentheses nest deeper than ${MAX_NESTING} levels`);
    } else if (c === ')') {
      if (open.pop() === undefined) throw ctx.fail(i, "')' has no matching '('");
    }
    masked.push(c);
  }
  endWord(text.length);
  if (stringStart >= 0) throw ctx.fail(stringStart, 'unterminated string literal');
  if (open.length) throw ctx.fail(open[open.length - 1]!, "'(' is never closed");
  return masked.join('');
}

/** Runs a library entry point on `source`, turning its exceptions into positioned 400s. */
function runParser(ctx: Context, source: string, fn: (s: string) => Token): Token {
  try {
    return fn(source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unexpected = /^Unexpected character at (\d+)$/.exec(message);
    if (unexpected) throw ctx.fail(Number(unexpected[1]) + ctx.offset, 'unexpected input');
    // "Fail at 0", and the TypeErrors the library throws on some garbage: still malformed input.
    throw ctx.fail(ctx.start, 'not a valid expression');
  }
}

/**
 * Checks a query option value; returns the text for the library (screened, same length as
 * `value`) and the context whose offset maps positions in `prefix + masked.trim()` back to
 * positions in `value`.
 */
function prepare(option: OptionName, value: string, prefix = ''): { ctx: Context; masked: string } {
  const probe = new Context(option, value, 0);
  if (!value.trim()) throw badRequest(OPTION_CODES[option], `${option}: the value is empty.`);
  return { ctx: new Context(option, value, probe.start - prefix.length), masked: screen(probe) };
}

// ---------------------------------------------------------------------------------------------
// $filter

export function parseFilter(value: string): BoolNode {
  const { ctx, masked } = prepare('$filter', value);
  const root = runParser(ctx, masked.trim(), (s) => parser.filter(s) as Token);
  return boolExpr(ctx, root);
}

interface Chain {
  operands: BoolNode[];
  ops: Array<'and' | 'or'>;
}

/** Source-ordered operands and operators of an un-parenthesised and/or/not chain. */
function flatten(ctx: Context, token: Token): Chain {
  switch (token.type) {
    case 'AndExpression':
    case 'OrExpression': {
      const left = flatten(ctx, token.value.left);
      const right = flatten(ctx, token.value.right);
      return {
        operands: [...left.operands, ...right.operands],
        ops: [...left.ops, token.type === 'AndExpression' ? 'and' : 'or', ...right.ops],
      };
    }
    case 'NotExpression': {
      // `not` applies to the first operand only; the library attached it to the whole rest.
      const inner = flatten(ctx, token.value);
      inner.operands[0] = { kind: 'not', operand: inner.operands[0]!, pos: token.position + ctx.offset };
      return inner;
    }
    default:
      return { operands: [atom(ctx, token)], ops: [] };
  }
}

/** Rebuilds a chain with `and` binding tighter than `or`, both left-associative. */
function rebuild(chain: Chain): BoolNode {
  const groups: BoolNode[][] = [[chain.operands[0]!]];
  chain.ops.forEach((op, i) => {
    const operand = chain.operands[i + 1]!;
    if (op === 'and') groups[groups.length - 1]!.push(operand);
    else groups.push([operand]);
  });
  const conj = groups.map((g) => g.reduce((left, right) => ({ kind: 'and', left, right, pos: left.pos }) as BoolNode));
  return conj.reduce((left, right) => ({ kind: 'or', left, right, pos: left.pos }) as BoolNode);
}

function boolExpr(ctx: Context, token: Token): BoolNode {
  return rebuild(flatten(ctx, token));
}

function atom(ctx: Context, token: Token): BoolNode {
  const pos = token.position + ctx.offset;
  const comparison = token.type ? COMPARISONS[token.type] : undefined;
  if (comparison) {
    return {
      kind: 'compare',
      op: comparison,
      left: operand(ctx, token.value.left),
      right: operand(ctx, token.value.right),
      pos,
      raw: ctx.source(token),
    };
  }
  switch (token.type) {
    case 'BoolParenExpression':
      return boolExpr(ctx, token.value);
    case 'CommonExpression':
    case 'MethodCallExpression':
    case 'ParenExpression':
    case 'FirstMemberExpression':
      return { kind: 'truth', operand: operand(ctx, token), pos };
    case 'HasExpression':
      throw ctx.failToken(token, "the 'has' operator is not supported");
    case 'IsOfExpression':
      throw ctx.failToken(token, "'isof' is not supported");
    default:
      throw ctx.failToken(token, 'unsupported expression');
  }
}

function operand(ctx: Context, token: Token): OperandNode {
  switch (token.type) {
    case 'CommonExpression':
    case 'ParenExpression':
      return operand(ctx, token.value);
    case 'Literal':
      return literal(ctx, token);
    case 'FirstMemberExpression':
    case 'MemberExpression':
    case 'PropertyPathExpression':
    case 'LambdaVariableExpression':
      return member(ctx, token);
    case 'MethodCallExpression':
      return call(ctx, token);
    case 'AddExpression':
    case 'SubExpression':
    case 'MulExpression':
    case 'DivExpression':
    case 'ModExpression':
    case 'NegateExpression':
      throw ctx.failToken(token, 'arithmetic is not supported');
    case 'BoolParenExpression':
    case 'AndExpression':
    case 'OrExpression':
    case 'NotExpression':
      throw ctx.failToken(token, 'a boolean expression cannot be compared; use and/or/not');
    default:
      throw ctx.failToken(token, `unsupported operand '${ctx.source(token)}'`);
  }
}

function literal(ctx: Context, token: Token): LiteralNode {
  const pos = token.position + ctx.offset;
  const raw: string = ctx.source(token);
  const edm: string = token.value;
  const node = (type: LiteralNode['type'], value: LiteralNode['value']): LiteralNode => ({ kind: 'literal', type, value, pos, raw });
  if (edm === 'Edm.String') return node('string', raw.slice(1, -1).replace(/''/g, "'"));
  if (edm === 'Edm.Boolean') return node('boolean', raw.toLowerCase() === 'true');
  if (edm === 'null') return node('null', null);
  if (NUMERIC_LITERALS.has(edm)) {
    const n = Number(raw.replace(/[mMdDfFlL]$/, ''));
    if (!Number.isFinite(n)) throw ctx.failToken(token, `'${raw}' is not a finite number`);
    return node('number', n);
  }
  if (edm === 'Edm.DateTimeOffset' || edm === 'Edm.Date') {
    if (Number.isNaN(Date.parse(raw))) throw ctx.failToken(token, `'${raw}' is not a valid date/time`);
    return node('datetime', raw);
  }
  if (edm === 'Edm.Guid') return node('guid', raw);
  throw ctx.failToken(token, `literals of type ${edm} are not supported`);
}

/** `a/b/c`, `t/email` (lambda variable first) or `team/any(t: ...)`. */
function member(ctx: Context, token: Token): OperandNode {
  const pos = token.position + ctx.offset;
  const node: MemberNode = { kind: 'member', path: [], pos, raw: ctx.source(token) };
  let lambda: LambdaNode | undefined;

  const walk = (t: Token): void => {
    switch (t.type) {
      case 'FirstMemberExpression':
        if (Array.isArray(t.value)) t.value.forEach(walk);
        else walk(t.value);
        return;
      case 'LambdaVariableExpression':
        node.variable = t.value.name;
        return;
      case 'MemberExpression':
      case 'SingleNavigationExpression':
        walk(t.value);
        return;
      case 'PropertyPathExpression':
        if (t.value?.type === 'ODataIdentifier') {
          node.path.push(t.value.value.name);
        } else if (t.value?.current) {
          node.path.push(t.value.current.value.name);
          if (t.value.next) walk(t.value.next);
        } else {
          throw ctx.failToken(t, `unsupported path '${ctx.source(t)}'`);
        }
        return;
      case 'CollectionPathExpression':
        lambda = lambdaNode(ctx, t.value, node);
        return;
      default:
        throw ctx.failToken(t, `unsupported path segment '${ctx.source(t)}'`);
    }
  };
  walk(token);
  return lambda ?? node;
}

function lambdaNode(ctx: Context, token: Token, collection: MemberNode): LambdaNode {
  if (token.type !== 'AnyExpression' && token.type !== 'AllExpression') {
    throw ctx.failToken(token, `'${ctx.source(token)}' is not supported on a collection; use any() or all()`);
  }
  const node: LambdaNode = {
    kind: 'lambda',
    quantifier: token.type === 'AnyExpression' ? 'any' : 'all',
    collection: { ...collection, path: [...collection.path] },
    pos: collection.pos,
    raw: collection.raw,
  };
  const variable = token.value?.variable;
  const predicate = token.value?.predicate;
  if (variable && predicate) {
    node.variable = variable.value.name;
    node.predicate = boolExpr(ctx, predicate.value);
  } else if (node.quantifier === 'all') {
    throw ctx.failToken(token, 'all() needs a lambda, e.g. all(t: t/email ne null)');
  }
  return node;
}

function call(ctx: Context, token: Token): CallNode {
  const name: string = token.value.method;
  const arity = FUNCTIONS[name];
  if (arity === undefined) {
    throw ctx.failToken(token, `function '${name}' is not supported (supported: ${Object.keys(FUNCTIONS).join(', ')})`);
  }
  const params: Token[] = token.value.parameters ?? [];
  if (params.length !== arity) throw ctx.failToken(token, `${name}() takes ${arity} argument${arity === 1 ? '' : 's'}, got ${params.length}`);
  return { kind: 'call', name, args: params.map((p) => operand(ctx, p)), pos: token.position + ctx.offset, raw: ctx.source(token) };
}

// ---------------------------------------------------------------------------------------------
// $orderby and $select: comma lists (blanks allowed around commas, as the ABNF's BWS says).
// Each item is parsed on its own as `$orderby=<item>` / `$select=<item>` by the library's
// query-options rule, so positions stay exact.

function listItems(option: OptionName, value: string, prefix: string): Array<{ ctx: Context; root: Token }> {
  const { masked } = prepare(option, value, prefix); // checks the whole value
  const parts = masked.split(',');
  if (parts.length > MAX_TERMS) throw new Context(option, value, 0).fail(0, `more than ${MAX_TERMS} items`);
  const items: Array<{ ctx: Context; root: Token }> = [];
  let from = 0;
  for (const part of parts) {
    const lead = part.length - part.trimStart().length;
    if (!part.trim()) throw new Context(option, value, 0).fail(from + lead, 'empty list item');
    const ctx = new Context(option, value, from + lead - prefix.length);
    items.push({ ctx, root: runParser(ctx, prefix + part.trim(), (s) => parser.query(s) as Token) });
    from += part.length + 1;
  }
  return items;
}

export function parseOrderBy(value: string): OrderByItem[] {
  return listItems('$orderby', value, '$orderby=').map(({ ctx, root }): OrderByItem => {
    const item: Token | undefined = root.value?.options?.[0]?.value?.items?.[0];
    if (!item) throw ctx.fail(ctx.offset + 9, 'not a valid $orderby item');
    const expr = operand(ctx, item.value.expr);
    if (expr.kind !== 'member' || expr.variable) throw ctx.failToken(item, 'only property paths can be sorted on');
    return { path: expr.path, descending: item.value.direction === -1, pos: item.position + ctx.offset, raw: ctx.source(item) };
  });
}

export function parseSelect(value: string, option: '$select' | '$expand' = '$select'): SelectItem[] {
  // $expand lists are parsed with the $select rule: we only accept plain property paths in both.
  return listItems(option, value, '$select=').map(({ ctx, root }): SelectItem => {
    const item: Token | undefined = root.value?.options?.[0]?.value?.items?.[0];
    if (!item) throw ctx.fail(ctx.offset + 8, `not a valid ${option} item`);
    // The library has checked the item is `*` or identifiers joined by '/'.
    return { path: ctx.source(item) === '*' ? ['*'] : ctx.source(item).split('/'), pos: item.position + ctx.offset, raw: ctx.source(item) };
  });
}
