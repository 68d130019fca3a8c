/**
 * The policy-template expression subset that published connectors use (see README.md,
 * "Expressions"): templates of literal text with embedded `@fn('arg')` calls, `@{...}` and
 * `{@...}` interpolations, property accessors, and `@Request.OriginalHTTPMethod`.
 * Everything is parsed when a package loads, so an expression the runtime cannot evaluate
 * refuses the package instead of failing a flow later.
 */

export type FunctionName = 'connectionParameters' | 'headers' | 'queryParameters' | 'body' | 'item' | 'triggerBody';

export interface CallExpr {
  kind: 'call';
  fn: FunctionName;
  args: string[];
  /** Accessors after the call: `.name`, `['name']`, `[0]`. */
  path: Array<string | number>;
  /** The source text, for messages. */
  text: string;
}

export interface MethodExpr {
  kind: 'method';
  text: string;
}

export type Expr = CallExpr | MethodExpr;
export type Template = Array<string | Expr>;

export class ExpressionError extends Error {}

/**
 * An expression that parsed at load time but finds nothing at run time (a missing header, query
 * parameter or connection parameter without a default, a null on a body path). The training
 * module "Use expressions to access runtime values" says such an expression fails ("would fail
 * if summary was null"); the runtime turns this into a 400 naming the expression (runtime.ts).
 */
export class ExpressionEvaluationError extends Error {
  constructor(
    readonly expression: string,
    problem: string,
  ) {
    super(`${expression}: ${problem}`);
    this.name = 'ExpressionEvaluationError';
  }
}

// `header` is the docs' spelling on the dynamichosturl page; the corpus writes `headers`.
// Names are matched case-insensitively (@ConnectionParameters occurs in the corpus).
const FUNCTIONS: Record<string, FunctionName> = {
  connectionparameters: 'connectionParameters',
  headers: 'headers',
  header: 'headers',
  queryparameters: 'queryParameters',
  body: 'body',
  item: 'item',
  triggerbody: 'triggerBody',
};

const ARGS: Record<FunctionName, [min: number, max: number]> = {
  connectionParameters: [1, 2],
  headers: [1, 2],
  queryParameters: [1, 2],
  body: [0, 0],
  item: [0, 0],
  triggerBody: [0, 0],
};

const IDENT = /[A-Za-z_$][\w$-]*/y;
const WS = /\s*/y;

class Cursor {
  pos = 0;
  constructor(readonly src: string) {}
  fail(what: string): never {
    throw new ExpressionError(`${what} at character ${this.pos + 1} of '${this.src}'`);
  }
  skipSpace(): void {
    WS.lastIndex = this.pos;
    WS.exec(this.src);
    this.pos = WS.lastIndex;
  }
  ident(): string | undefined {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (!m) return undefined;
    this.pos = IDENT.lastIndex;
    return m[0];
  }
  peek(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  /** A single-quoted string; the docs' own examples use typographic quotes, accepted too. */
  quoted(): string {
    this.skipSpace();
    const open = this.src[this.pos];
    const close = open === "'" ? "'" : open === '\u2018' ? '\u2019' : undefined;
    if (!close) this.fail('expected a quoted string');
    const end = this.src.indexOf(close, this.pos + 1);
    if (end < 0) this.fail('unterminated string');
    const value = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }
}

/** Parses accessors after a call: `.name`, `['name']`, `[0]`. */
function accessors(c: Cursor): Array<string | number> {
  const path: Array<string | number> = [];
  for (;;) {
    if (c.peek('.') && /[A-Za-z_$@]/.test(c.src[c.pos + 1] ?? '')) {
      c.pos++;
      const start = c.pos;
      // A name runs to the next accessor; '@' and '-' may occur in it, '.' may not (use ['a.b']).
      while (c.pos < c.src.length && /[\w$@-]/.test(c.src[c.pos]!)) c.pos++;
      path.push(c.src.slice(start, c.pos));
    } else if (c.peek('[')) {
      c.pos++;
      c.skipSpace();
      if (/\d/.test(c.src[c.pos] ?? '')) {
        const start = c.pos;
        while (/\d/.test(c.src[c.pos] ?? '')) c.pos++;
        path.push(Number(c.src.slice(start, c.pos)));
      } else {
        path.push(c.quoted());
      }
      c.skipSpace();
      if (!c.eat(']')) c.fail("expected ']'");
    } else {
      return path;
    }
  }
}

/** One expression starting just after its '@' (or at the name, for the `body()` corpus quirk). */
function expression(c: Cursor, start: number): Expr {
  const name = c.ident();
  if (!name) c.fail("expected a function name after '@'");
  if (name === 'Request' && c.eat('.OriginalHTTPMethod')) return { kind: 'method', text: c.src.slice(start, c.pos) };
  const fn = FUNCTIONS[name.toLowerCase()];
  if (!fn) c.fail(`unknown function '${name}' (known: ${[...new Set(Object.values(FUNCTIONS))].join(', ')}, Request.OriginalHTTPMethod)`);
  if (!c.eat('(')) c.fail(`expected '(' after '${name}'`);
  const args: string[] = [];
  c.skipSpace();
  if (!c.eat(')')) {
    for (;;) {
      args.push(c.quoted());
      c.skipSpace();
      if (c.eat(')')) break;
      if (!c.eat(',')) c.fail("expected ',' or ')'");
    }
  }
  const [min, max] = ARGS[fn];
  if (args.length < min || args.length > max) c.fail(`${name}() takes ${min === max ? min : `${min} or ${max}`} argument(s), got ${args.length}`);
  // Only the body functions take accessors: after @connectionParameters('x') a '.' is text, as
  // in "https://@connectionParameters('vault').vault.azure.net" (corpus: AzureKeyVault-style hosts).
  const path = fn === 'body' || fn === 'item' || fn === 'triggerBody' ? accessors(c) : [];
  return { kind: 'call', fn, args, path, text: c.src.slice(start, c.pos) };
}

/** Is there an expression (not a literal '@', as in an e-mail address) at `pos`? */
function expressionAt(src: string, pos: number): boolean {
  return /^@(Request\.OriginalHTTPMethod|[A-Za-z]+\s*\()/.test(src.slice(pos));
}

/**
 * Parses a value template: literal text with embedded expressions. `@{expr}` and `{@expr}` are
 * interpolations; a bare `@fn(...)` runs to the end of its accessors.
 */
export function parseTemplate(src: string): Template {
  const c = new Cursor(src);
  const parts: Template = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(text);
    text = '';
  };
  while (c.pos < src.length) {
    if (c.peek('@{') || (c.peek('{@') && expressionAt(src, c.pos + 1))) {
      flush();
      const start = c.pos;
      c.pos += 2;
      c.skipSpace();
      const expr = expression(c, start);
      c.skipSpace();
      if (!c.eat('}')) c.fail("expected '}' to close the interpolation");
      parts.push(expr);
    } else if (c.peek('@') && expressionAt(src, c.pos)) {
      flush();
      const start = c.pos++;
      parts.push(expression(c, start));
    } else {
      text += src[c.pos++];
    }
  }
  flush();
  return parts;
}

/**
 * Parses a path expression such as `@body().references` or `@item().userId`: one call and its
 * accessors, nothing else. `body()` without '@' is accepted as an assumption: three certified
 * connectors write it so (see README.md).
 */
export function parsePath(src: string, allowed: readonly FunctionName[]): CallExpr {
  // Assumption: `@body.a.b` means `@body().a.b`; the stringtoarray docs page writes its example's
  // newPropertyPath so (`@body.peopleObject.XYZ.Age`).
  const trimmed = src.trim().replace(/^(@?)body(?=[.[]|$)/, '$1body()');
  const c = new Cursor(trimmed);
  c.eat('@');
  const expr = expression(c, 0);
  if (c.pos !== trimmed.length) c.fail('unexpected text after the path');
  if (expr.kind !== 'call' || !allowed.includes(expr.fn)) {
    throw new ExpressionError(`'${src}' must be a path starting with ${allowed.map((f) => `@${f}()`).join(' or ')}`);
  }
  return expr;
}

/** A property sub-path: `name`, `['@odata.type']` or `a.b`. */
export function parseSubPath(src: string): string[] {
  const c = new Cursor(`@item()${src.startsWith('[') ? '' : '.'}${src}`);
  c.eat('@');
  const expr = expression(c, 0);
  if (c.pos !== c.src.length || expr.kind !== 'call' || expr.path.some((p) => typeof p === 'number') || expr.path.length === 0) {
    throw new ExpressionError(`'${src}' is not a property name or ['name'] path`);
  }
  return expr.path as string[];
}

export interface Scope {
  connectionParameters?: Record<string, unknown>;
  headers?: Record<string, string>;
  queryParameters?: Record<string, string>;
  body?: unknown;
  item?: unknown;
  triggerBody?: unknown;
  method?: string;
}

export function walk(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function lookup(record: Record<string, unknown> | undefined, name: string): unknown {
  if (!record) return undefined;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

export interface EvaluateOptions {
  /**
   * Run-time policy evaluation: a header, query or connection parameter that is missing (and no
   * default), or a null or non-object on the way along a path, throws ExpressionEvaluationError
   * instead of rendering as ''. The polling trigger's state query keeps the lenient form (trigger.ts).
   */
  strict?: boolean;
  /** Applied to the text of each expression value in a mixed template (URL paths, query). */
  encode?: (text: string) => string;
}

const SOURCE: Record<Exclude<FunctionName, 'body' | 'item' | 'triggerBody'>, string> = {
  connectionParameters: 'connection parameter',
  headers: 'header',
  queryParameters: 'query parameter',
};

export function evaluate(expr: Expr, scope: Scope, options: EvaluateOptions = {}): unknown {
  if (expr.kind === 'method') return scope.method;
  let base: unknown;
  switch (expr.fn) {
    case 'connectionParameters':
      // Assumption: matched case-insensitively, as for headers. Certified EBMS, Impexium,
      // TranslatorV3 and Tulip read 'SerialNumber', 'HostUrl', ... for their declared
      // 'serialNumber', 'hostUrl', ...
      base = lookup(scope.connectionParameters, expr.args[0]!);
      break;
    case 'headers':
      base = lookup(scope.headers, expr.args[0]!);
      break;
    case 'queryParameters':
      base = lookup(scope.queryParameters, expr.args[0]!);
      break;
    default:
      base = scope[expr.fn];
  }
  // The docs' setheader page: a missing value with a default yields the default ('' included).
  if (base === undefined && expr.args.length === 2) base = expr.args[1];
  if (!options.strict) return walk(base, expr.path);
  if (base === undefined || base === null) {
    const what = expr.fn in SOURCE ? `the request has no ${SOURCE[expr.fn as keyof typeof SOURCE]} '${expr.args[0]}' and the expression gives no default` : `there is no ${expr.fn}()`;
    throw new ExpressionEvaluationError(expr.text, what);
  }
  let v: unknown = base;
  for (const [i, key] of expr.path.entries()) {
    if (v === null || typeof v !== 'object') {
      const at = i === 0 ? `${expr.fn}()` : `'${expr.path[i - 1]}'`;
      throw new ExpressionEvaluationError(expr.text, `${at} is ${v === null ? 'null' : typeof v}, so '${key}' cannot be read`);
    }
    v = (v as Record<string | number, unknown>)[key];
  }
  // A missing last property is no value (certified iObeya reads `{@body().next}`, absent on a
  // last page); only reading through a null fails, as the training module says.
  return v;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Renders a template. A template that is one expression keeps its value's type (an object
 * stays an object); mixed text joins the values' text forms, each passed through
 * `options.encode` when given.
 */
export function render(template: Template, scope: Scope, options: EvaluateOptions = {}): unknown {
  // `@{...}` is string interpolation even alone (training module "Use expressions to access
  // runtime values": braces "automatically convert the numeric value into a string").
  if (template.length === 1 && typeof template[0] !== 'string' && !template[0]!.text.startsWith('@{')) return evaluate(template[0]!, scope, options);
  const encode = options.encode ?? ((t: string) => t);
  return template.map((part) => (typeof part === 'string' ? part : encode(asText(evaluate(part, scope, options))))).join('');
}

export function renderText(template: Template, scope: Scope, options: EvaluateOptions = {}): string {
  if (template.length === 1 && typeof template[0] !== 'string' && options.encode) return options.encode(asText(evaluate(template[0]!, scope, options)));
  return asText(render(template, scope, options));
}

/** Functions a template uses, to refuse e.g. @triggerBody() where no trigger body exists. */
export function functionsOf(template: Template): Set<string> {
  return new Set(template.filter((p): p is Expr => typeof p !== 'string').map((e) => (e.kind === 'method' ? 'Request.OriginalHTTPMethod' : e.fn)));
}
