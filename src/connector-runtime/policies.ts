/**
 * The policy templates of apiProperties.json, compiled once at load time into hooks that the
 * runtime runs on each call. Each template's behaviour and its source are in README.md; the
 * parameters each template accepts are those of its definition in Microsoft's
 * paconn-apiProperties.schema.json, and anything else refuses the package.
 */
import {
  ExpressionError,
  ExpressionEvaluationError,
  functionsOf,
  parsePath,
  parseSubPath,
  parseTemplate,
  render,
  renderText,
  walk,
  type CallExpr,
  type EvaluateOptions,
  type Scope,
  type Template,
} from './expressions.js';

/** A request on its way to the backend, as policies see and change it. */
export interface OutgoingRequest {
  /** Method and path (relative to `baseUrl`, parameters filled in). */
  method: string;
  path: string;
  /**
   * Backend root the path is appended to: the swagger's scheme, host and basePath, unless a
   * dynamichosturl policy replaces all three with its URL.
   */
  baseUrl: string;
  query: Array<[string, string]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: unknown;
  /** formData parameters, when the operation has any (sent instead of a JSON body). */
  form?: { encoding: 'multipart' | 'urlencoded'; fields: Array<{ name: string; value: string; file: boolean }> };
  /** The operation's path parameters, already URL-encoded, for newPath / parameterValueUrl. */
  pathParams: Record<string, string>;
}

export interface BackendResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface PolicyContext {
  connectionParameters: Record<string, unknown>;
  /** The method the operation declares (for @Request.OriginalHTTPMethod). */
  originalMethod: string;
  /** The connector's own URL root as the flow sees it (the gateway), for updatenextlink. */
  connectorBaseUrl: string;
  /** The backend root before any dynamichosturl. */
  backendBaseUrl: string;
  /** Sends a side request to the backend (setvaluefromurl), with the connection's credentials. */
  fetchJson(method: string, url: string): Promise<BackendResponse>;
  /** setconnectionstatustounauthenticated */
  markUnauthenticated(): void;
}

export type Section = 'request' | 'response' | 'failure';

export interface CompiledPolicy {
  templateId: string;
  title: string;
  /** undefined: every operation (the docs: "If no operations are selected, the policy applies to all"). */
  operations: string[] | undefined;
  section?: Section;
  request?(req: OutgoingRequest, ctx: PolicyContext): void | Promise<void>;
  /** `req` is the request as it was sent (for setvaluefromurl's side request). */
  response?(res: BackendResponse, ctx: PolicyContext, req: OutgoingRequest): void | Promise<void>;
  /** Data templates that the runtime reads rather than runs. */
  trigger?: TriggerConfig;
}

export interface TriggerConfig {
  /** Query parameter name -> value template, evaluated against the last response. */
  query: Array<[string, Template]>;
  dataPath: CallExpr;
  nextLinkProperty: string;
}

/** A package that cannot run: names the file, the policy and the field. */
export class PackageError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly field: string | undefined,
    problem: string,
  ) {
    super(`${file}: ${where}${field ? `, ${field}` : ''}: ${problem}`);
    this.name = 'PackageError';
  }
}

const P = 'x-ms-apimTemplateParameter.';
const OPERATIONS = 'x-ms-apimTemplate-operationName';
const SECTION = 'x-ms-apimTemplate-policySection';

/**
 * The template parameters the runtime models, per template: exactly those of the template's
 * definition in paconn-apiProperties.schema.json (the two undocumented templates: those their
 * only corpus users set). A parameter outside this list refuses the package, naming it.
 */
const PARAMETERS: Record<string, readonly string[]> = {
  convertarraytoobject: ['propertyParentPath', 'propertySubPath', 'keyWithinCollectionPath', 'newPropertyPath', 'retainKey'],
  convertobjecttoarray: ['propertyParentPath', 'propertySubPath', 'newPropertyPath', 'keyName', 'valueName'],
  dynamichosturl: ['urlTemplate'],
  encodepropertyvalue: ['propertyParentPath', 'propertySubPath', 'newPropertyPath'],
  pollingtrigger: ['triggerConfig', 'triggerDataPath'],
  routerequesttoendpoint: ['newPath', 'httpMethod'],
  setheader: ['name', 'value', 'existsAction'],
  setproperty: ['newPropertyParentPathTemplate', 'newPropertySubPathTemplate', 'propertyValuePathTemplate'],
  setqueryparameter: ['name', 'value', 'existsAction'],
  setvaluefromurl: ['parameterTemplate', 'parameterValueUrl', 'parameterValuePathTemplate', 'httpMethod'],
  stringreplace: ['propertyParentPath', 'propertySubPath', 'sourceString', 'replacementString', 'newPropertyPath'],
  stringtoarray: ['propertyParentPath', 'propertySubPath', 'delimiterList', 'childPropertyName', 'newPropertyPath'],
  updatenextlink: ['nextLinkPropertyName', 'nextLinkParentPropertyPath'],
  // Found in accepted corpus packages but on no docs page: modelled as assumptions (README.md).
  moveproperties: ['srcParentPath', 'srcSubPath', 'dstParentPath', 'dstSubPath', 'copyOnlySubProperties'],
  setconnectionstatustounauthenticated: ['statusCode'],
};

/**
 * Sections the templates without a policySection enum may run in: dynamichosturl,
 * routerequesttoendpoint, setqueryparameter, updatenextlink and pollingtrigger have no
 * policySection in the schema (additionalProperties false; no corpus instance sets one), and
 * setconnectionstatustounauthenticated is not in the schema. The section each runs in is accepted
 * anyway (assumption) and any other refuses the package. The other templates check the
 * policySection enum their definition references where they read it (section() below).
 */
const SECTIONS: Record<string, readonly Section[]> = {
  setqueryparameter: ['request'],
  dynamichosturl: ['request'],
  routerequesttoendpoint: ['request'],
  updatenextlink: ['response'],
  setconnectionstatustounauthenticated: ['response'],
  pollingtrigger: [],
};

/** Policy expressions at run time: a value that is not there fails the call (expressions.ts). */
const AT_RUN_TIME: EvaluateOptions = { strict: true };
const IN_URL: EvaluateOptions = { strict: true, encode: encodeURIComponent };

export interface OperationShape {
  method: string;
  pathParams: string[];
}

interface Reader {
  str(name: string, required?: boolean): string | undefined;
  /** The field's template; `prepare` adjusts the raw text first. */
  template(name: string, required?: boolean, prepare?: (raw: string) => string): Template | undefined;
  path(name: string, allowed: Parameters<typeof parsePath>[1], required?: boolean): CallExpr | undefined;
  fail(name: string | undefined, problem: string): never;
}

function reader(file: string, where: string, params: Record<string, unknown>): Reader {
  const fail = (name: string | undefined, problem: string): never => {
    throw new PackageError(file, where, name, problem);
  };
  const str = (name: string, required = true): string | undefined => {
    const v = params[name];
    if (v === undefined || v === null || v === '') return required ? fail(name, 'is required') : undefined;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') return fail(name, `must be a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const guard = <T>(name: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ExpressionError) return fail(name, `cannot be evaluated: ${err.message}`);
      throw err;
    }
  };
  return {
    str,
    fail,
    template(name, required = true, prepare = (raw: string) => raw) {
      const raw = str(name, required);
      return raw === undefined ? undefined : guard(name, () => parseTemplate(prepare(raw)));
    },
    path(name, allowed, required = true) {
      const raw = str(name, required);
      return raw === undefined ? undefined : guard(name, () => parsePath(raw, allowed));
    },
  };
}

/** Templates over request headers, query, connection parameters: no trigger body. */
function requestTemplate(r: Reader, name: string, extra: string[] = [], prepare?: (raw: string) => string): Template {
  const t = r.template(name, true, prepare)!;
  const allowed = new Set(['connectionParameters', 'headers', 'queryParameters', 'Request.OriginalHTTPMethod', ...extra]);
  for (const fn of functionsOf(t)) if (!allowed.has(fn)) r.fail(name, `${fn} is not available here (allowed: ${[...allowed].join(', ')})`);
  return t;
}

function section(r: Reader, params: Record<string, unknown>, allowed: readonly Section[], fallback: Section): Section {
  const raw = params[SECTION];
  if (raw === undefined) return fallback;
  const s = String(raw).toLowerCase() as Section;
  if (!allowed.includes(s)) r.fail(SECTION, allowed.length ? `must be one of ${allowed.join(', ')} for this template, got '${String(raw)}'` : `does not apply to this template, got '${String(raw)}'`);
  return s;
}

/** existsAction: override (the schema's default), skip or append. */
function existsAction(r: Reader): 'override' | 'skip' | 'append' {
  const action = (r.str(`${P}existsAction`, false) ?? 'override').toLowerCase();
  if (action !== 'override' && action !== 'skip' && action !== 'append') return r.fail(`${P}existsAction`, `must be override, skip or append, got '${action}'`);
  return action;
}

/**
 * Headers whose values may contain commas or dates: Azure API Management (which the connector
 * gateway is built on) sends appended values of these as separate header lines rather than one
 * comma-separated value (docs, "API Management set-header policy"). fetch joins repeated lines of
 * one name with ", ", which is what goes out here.
 */
export const SEPARATE_LINES: ReadonlySet<string> = new Set(['user-agent', 'www-authenticate', 'proxy-authenticate', 'cookie', 'set-cookie', 'warning', 'date', 'expires', 'if-modified-since', 'if-unmodified-since', 'last-modified', 'retry-after']);

/** An HTTP field name (RFC 9110 section 5.1: a token). */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Sets a header (record, lower-case names) or query pair (list) per a template's existsAction. */
export function setHeaderLike(list: Record<string, string> | Array<[string, string]>, name: string, value: string, action: string): void {
  if (Array.isArray(list)) {
    const i = list.findIndex(([n]) => n === name);
    if (i < 0) list.push([name, value]);
    else if (action === 'override') list[i] = [name, value];
    // Assumption: an appended query value joins with ',' as API Management joins header values.
    else if (action === 'append') list[i] = [name, `${list[i]![1]},${value}`];
    return;
  }
  const key = name.toLowerCase();
  if (!(key in list)) list[key] = value;
  else if (action === 'override') list[key] = value;
  else if (action === 'append') list[key] = `${list[key]}${SEPARATE_LINES.has(key) ? ', ' : ','}${value}`;
}

/** Adds the pairs of a query string (`a=1&b=2`, percent-encoded) to a request's query. */
function mergeQuery(query: Array<[string, string]>, text: string): void {
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    setHeaderLike(query, decode(name), decode(value), 'override');
  }
}

function queryRecord(q: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(q);
}

function requestScope(req: OutgoingRequest, ctx: PolicyContext): Scope {
  return { connectionParameters: ctx.connectionParameters, headers: req.headers, queryParameters: queryRecord(req.query), body: req.body, method: ctx.originalMethod };
}

function responseScope(res: BackendResponse, ctx: PolicyContext): Scope {
  return { connectionParameters: ctx.connectionParameters, headers: res.headers, body: res.body, method: ctx.originalMethod };
}

/** Objects a parent path designates: an array yields each item (the docs' @item()). */
function targets(root: unknown, parent: CallExpr): Array<Record<string, unknown>> {
  const v = walk(root, parent.path);
  if (Array.isArray(v)) return v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  return v !== null && typeof v === 'object' ? [v as Record<string, unknown>] : [];
}

function setAt(obj: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (const key of path.slice(0, -1)) {
    if (cur[key] === null || typeof cur[key] !== 'object') cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

type BodyRef = { body: unknown };

/** Where a transform writes: `@body()...` from the root, `@item()...` (or a bare name) from the item. */
interface WriteTarget {
  fn: 'body' | 'item';
  path: Array<string | number>;
}

/** Writes a transformed value: @item() is relative to the item, @body() to the root (the root itself when the path is empty). */
function writeNew(holder: BodyRef, item: Record<string, unknown>, target: WriteTarget, value: unknown): void {
  if (target.path.length === 0) {
    if (target.fn === 'body') holder.body = value;
    return;
  }
  setAt(target.fn === 'item' ? item : (holder.body as Record<string, unknown>), target.path, value);
}

/** A property sub-path, optional: left out, empty or the schema's default "null" means none. */
function optionalSubPath(r: Reader, name: string): string[] {
  const raw = r.str(name, false);
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'null') return [];
  try {
    return parseSubPath(raw);
  } catch (err) {
    return r.fail(name, err instanceof Error ? err.message : String(err));
  }
}

/**
 * newPropertyPath: `@body()...` or `@item()...`; a bare name (the convertarraytoobject page's
 * example writes `peopleObject`) is taken relative to the parent item (assumption: the page's
 * example has `@body()` as its parent, where both readings agree).
 */
function writeTarget(r: Reader, name: string): WriteTarget {
  const raw = r.str(name)!.trim();
  if (raw.startsWith('@') || /^body\s*\(/.test(raw)) {
    const p = r.path(name, ['body', 'item'])!;
    return { fn: p.fn as WriteTarget['fn'], path: p.path };
  }
  try {
    return { fn: 'item', path: parseSubPath(raw) };
  } catch (err) {
    return r.fail(name, err instanceof Error ? err.message : String(err));
  }
}

/**
 * The body-transform templates share a shape: read `propertySubPath` of each object at
 * `propertyParentPath`, transform it, write to `newPropertyPath`. With no sub-path the parent
 * itself is the value (the docs: "You can leave the subPath empty if the parent is the array
 * that you want to transform").
 */
function bodyTransform(r: Reader, params: Record<string, unknown>, fn: (value: unknown) => unknown): Pick<CompiledPolicy, 'section' | 'request' | 'response'> {
  const parent = r.path(`${P}propertyParentPath`, ['body'])!;
  const sub = optionalSubPath(r, `${P}propertySubPath`);
  const target = writeTarget(r, `${P}newPropertyPath`);
  const sec = section(r, params, ['request', 'response'], 'request');
  const apply = (holder: BodyRef) => {
    if (holder.body === null || typeof holder.body !== 'object') return;
    const root = holder.body as Record<string, unknown>;
    if (sub.length === 0) {
      const value = walk(root, parent.path);
      if (value === undefined) return;
      const container = walk(root, parent.path.slice(0, -1));
      writeNew(holder, container !== null && typeof container === 'object' ? (container as Record<string, unknown>) : root, target, fn(value));
      return;
    }
    for (const item of targets(root, parent)) {
      const value = walk(item, sub);
      if (value === undefined) continue;
      writeNew(holder, item, target, fn(value));
    }
  };
  return sec === 'request' ? { section: sec, request: (req) => apply(req) } : { section: sec, response: (res) => apply(res) };
}

/** `{name}` placeholders of a path template. */
function placeholders(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

/** Fills `{name}` placeholders of a path template; a missing value leaves the segment empty. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{([^{}]+)\}/g, (_, name: string) => params[name] ?? '');
}

/** A value that reads as JSON after interpolation becomes that JSON (assumption, README.md). */
function jsonish(value: unknown, template: Template): unknown {
  if (typeof value !== 'string' || template.every((p) => typeof p === 'string')) return value;
  const t = value.trim();
  if (!/^[[{]/.test(t)) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

/**
 * dynamichosturl's rendered URL, which replaces the connector's whole host URL (scheme, host and
 * basePath: the docs page "Replaces host URL with the URL generated from the template", and
 * MicrosoftDocs/BusinessApplicationPlatform-Connectors-public issue 294: the policy "also
 * replaces any set string in the Base URL"). Assumptions: no scheme means https; a query part
 * joins the request's query.
 */
function hostUrl(rendered: string, source: string, req: OutgoingRequest): string {
  let url = rendered.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `https://${url}`;
  const q = url.indexOf('?');
  if (q >= 0) {
    mergeQuery(req.query, url.slice(q + 1));
    url = url.slice(0, q);
  }
  try {
    new URL(url);
  } catch {
    throw new ExpressionEvaluationError(source, `gives '${rendered}', which is not a URL`);
  }
  return url.replace(/\/+$/, '');
}

export interface CompileInput {
  file: string;
  instance: Record<string, unknown>;
  index: number;
  operations: ReadonlyMap<string, OperationShape>;
}

function templateText(t: Template): string {
  return t.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

export function compilePolicy({ file, instance, index, operations }: CompileInput): CompiledPolicy {
  const templateIdRaw = instance.templateId;
  const title = typeof instance.title === 'string' && instance.title ? instance.title : `#${index + 1}`;
  const where = `policy '${title}' (policyTemplateInstances[${index}])`;
  if (typeof templateIdRaw !== 'string') throw new PackageError(file, where, 'templateId', 'is missing');
  const templateId = templateIdRaw.toLowerCase();
  const params = (instance.parameters ?? {}) as Record<string, unknown>;
  if (typeof params !== 'object' || Array.isArray(params)) throw new PackageError(file, where, 'parameters', 'must be an object');
  const r = reader(file, where, params);

  const modelled = PARAMETERS[templateId];
  if (!modelled) return r.fail('templateId', `unknown template '${templateIdRaw}' (known: ${Object.keys(PARAMETERS).join(', ')})`);
  for (const key of Object.keys(params)) {
    if (key === OPERATIONS || key === SECTION) continue;
    if (!key.startsWith(P) || !modelled.includes(key.slice(P.length))) {
      r.fail(key, `is not a parameter of the ${templateId} template that this runtime models (it models: ${modelled.map((m) => P + m).join(', ')})`);
    }
  }
  if (SECTIONS[templateId]) section(r, params, SECTIONS[templateId]!, 'request');

  let ops: string[] | undefined;
  const rawOps = params[OPERATIONS];
  if (rawOps !== undefined) {
    const list = Array.isArray(rawOps) ? rawOps : [rawOps];
    // Assumption: names match operationIds case-insensitively (certified Almabase names
    // 'Listforms' for its 'ListForms').
    const byLower = new Map([...operations.keys()].map((k) => [k.toLowerCase(), k]));
    ops = list.map((raw) => byLower.get(String(raw).toLowerCase()) ?? r.fail(OPERATIONS, `names operation '${String(raw)}', which apiDefinition.swagger.json does not have`));
  }
  const named = ops ?? [...operations.keys()];
  const base = { templateId, title, operations: ops };

  switch (templateId) {
    case 'setheader': {
      const name = r.str(`${P}name`)!;
      if (!HEADER_NAME.test(name)) r.fail(`${P}name`, `'${name}' is not a valid HTTP header name (RFC 9110 token)`);
      const value = requestTemplate(r, `${P}value`, ['body']);
      const action = existsAction(r);
      const sec = section(r, params, ['request', 'response', 'failure'], 'request');
      if (sec === 'request') return { ...base, section: sec, request: (req, ctx) => setHeaderLike(req.headers, name, renderText(value, requestScope(req, ctx), AT_RUN_TIME), action) };
      return { ...base, section: sec, response: (res, ctx) => setHeaderLike(res.headers, name, renderText(value, responseScope(res, ctx), AT_RUN_TIME), action) };
    }
    case 'setqueryparameter': {
      const name = r.str(`${P}name`)!;
      const value = requestTemplate(r, `${P}value`, ['body']);
      const action = existsAction(r);
      // Names arrive URL-encoded in the wild ('%24top'); the query holds decoded names.
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        r.fail(`${P}name`, `'${name}' is not valid percent-encoding`);
      }
      return { ...base, section: 'request', request: (req, ctx) => setHeaderLike(req.query, decoded, renderText(value, requestScope(req, ctx), AT_RUN_TIME), action) };
    }
    case 'dynamichosturl': {
      const url = requestTemplate(r, `${P}urlTemplate`);
      const source = templateText(url);
      return { ...base, section: 'request', request: (req, ctx) => void (req.baseUrl = hostUrl(renderText(url, requestScope(req, ctx), AT_RUN_TIME), source, req)) };
    }
    case 'routerequesttoendpoint': {
      // newPath "supports expressions" (docs page). Assumption: a newPath without its leading
      // '/' is still relative to the host URL (certified AzureAD writes 'v1.0/users/{id}/checkMemberGroups').
      const newPath = requestTemplate(r, `${P}newPath`, [], (raw) => (raw.startsWith('/') ? raw : `/${raw}`));
      const literal = newPath.filter((p): p is string => typeof p === 'string').join('');
      for (const op of named) {
        const missing = placeholders(literal).filter((p) => !operations.get(op)!.pathParams.includes(p));
        if (missing.length) r.fail(`${P}newPath`, `uses {${missing.join('}, {')}}, which operation '${op}' has no path parameter for`);
      }
      const rawMethod = r.str(`${P}httpMethod`, false);
      let method: string | undefined;
      if (rawMethod !== undefined && rawMethod !== '@Request.OriginalHTTPMethod') {
        if (!/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i.test(rawMethod)) r.fail(`${P}httpMethod`, `must be an HTTP method or @Request.OriginalHTTPMethod, got '${rawMethod}'`);
        method = rawMethod.toUpperCase();
      }
      return {
        ...base,
        section: 'request',
        request: (req, ctx) => {
          // Expression values are percent-encoded; a '?' of the template itself starts a query
          // whose pairs join the request's (assumption: corpus HYAS Insight routes to
          // '/device_geo/search?@queryParameters('indicator_type')=...').
          const text = renderText(newPath, requestScope(req, ctx), IN_URL);
          const q = text.indexOf('?');
          req.path = fillPath(q < 0 ? text : text.slice(0, q), req.pathParams);
          if (q >= 0) mergeQuery(req.query, text.slice(q + 1));
          if (method) req.method = method;
        },
      };
    }
    case 'setproperty': {
      const parent = r.path(`${P}newPropertyParentPathTemplate`, ['body'])!;
      const sub = optionalSubPath(r, `${P}newPropertySubPathTemplate`);
      if (!sub.length) r.fail(`${P}newPropertySubPathTemplate`, 'is required');
      const value = r.template(`${P}propertyValuePathTemplate`)!;
      const sec = section(r, params, ['request', 'response'], 'request');
      const apply = (holder: BodyRef, scope: Scope) => {
        if (holder.body === undefined || holder.body === null) holder.body = {};
        if (typeof holder.body !== 'object') return;
        const v = jsonish(render(value, scope, AT_RUN_TIME), value);
        for (const obj of parent.path.length ? targets(holder.body, parent) : [holder.body as Record<string, unknown>]) setAt(obj, sub, v);
      };
      if (sec === 'request') return { ...base, section: sec, request: (req, ctx) => apply(req, requestScope(req, ctx)) };
      return { ...base, section: sec, response: (res, ctx) => apply(res, responseScope(res, ctx)) };
    }
    case 'setvaluefromurl': {
      const targetRaw = r.str(`${P}parameterTemplate`)!;
      const target = r.path(`${P}parameterTemplate`, ['headers', 'queryParameters'])!;
      if (target.args.length !== 1 || target.path.length) r.fail(`${P}parameterTemplate`, `must be @headers('name') or @queryParameters('name'), got '${targetRaw}'`);
      const url = r.str(`${P}parameterValueUrl`)!;
      for (const op of named) {
        const missing = placeholders(url).filter((p) => !operations.get(op)!.pathParams.includes(p));
        if (missing.length) r.fail(`${P}parameterValueUrl`, `uses {${missing.join('}, {')}}, which operation '${op}' has no path parameter for`);
      }
      const from = r.path(`${P}parameterValuePathTemplate`, ['body'])!;
      const method = (r.str(`${P}httpMethod`, false) ?? 'GET').toUpperCase();
      if (!['GET', 'POST', 'PUT'].includes(method)) r.fail(`${P}httpMethod`, `must be GET, POST or PUT, got '${method}'`);
      const sec = section(r, params, ['request', 'response'], 'request');
      // The Response section sets a header of the answer the flow gets; an answer has no query.
      if (sec === 'response' && target.fn !== 'headers') r.fail(`${P}parameterTemplate`, `must be @headers('name') in the Response section (a response has no query parameters), got '${targetRaw}'`);
      const name = target.args[0]!;
      const fetchValue = async (req: OutgoingRequest, ctx: PolicyContext): Promise<string> => {
        const sideUrl = `${req.baseUrl}${fillPath(url, req.pathParams)}`;
        const res = await ctx.fetchJson(method, sideUrl);
        if (res.status >= 400) throw new ExpressionEvaluationError(from.text, `the side request ${method} ${sideUrl} answered ${res.status}`);
        const value = render([from], { body: res.body }, AT_RUN_TIME);
        return typeof value === 'string' ? value : JSON.stringify(value);
      };
      if (sec === 'response') return { ...base, section: sec, response: async (res, ctx, req) => void (res.headers[name.toLowerCase()] = await fetchValue(req, ctx)) };
      return {
        ...base,
        section: sec,
        request: async (req, ctx) => {
          const text = await fetchValue(req, ctx);
          if (target.fn === 'headers') req.headers[name.toLowerCase()] = text;
          else setHeaderLike(req.query, name, text, 'override');
        },
      };
    }
    case 'stringreplace': {
      const source = r.str(`${P}sourceString`)!;
      const replacement = r.str(`${P}replacementString`, false) ?? '';
      if (!(`${P}replacementString` in params)) r.fail(`${P}replacementString`, 'is required');
      return { ...base, ...bodyTransform(r, params, (v) => (typeof v === 'string' ? v.split(source).join(replacement) : v)) };
    }
    case 'stringtoarray': {
      const delimiters = [...(r.str(`${P}delimiterList`)!)];
      const child = r.str(`${P}childPropertyName`)!;
      // Assumption: parts are trimmed and empty parts dropped (the page's one example, "3;0",
      // has neither).
      const split = (v: unknown) => {
        if (typeof v !== 'string') return v;
        const parts = delimiters.reduce<string[]>((acc, d) => acc.flatMap((s) => s.split(d)), [v]);
        return parts.map((s) => s.trim()).filter(Boolean).map((s) => ({ [child]: s }));
      };
      return { ...base, ...bodyTransform(r, params, split) };
    }
    case 'convertarraytoobject': {
      const key = r.str(`${P}keyWithinCollectionPath`)!;
      // Docs page and schema: "true (which is the default if left empty)".
      const rawRetain = (r.str(`${P}retainKey`, false) ?? 'true').toLowerCase();
      if (rawRetain !== 'true' && rawRetain !== 'false') r.fail(`${P}retainKey`, `must be "true" or "false", got '${rawRetain}'`);
      const retain = rawRetain === 'true';
      const convert = (v: unknown) => {
        if (!Array.isArray(v)) return v;
        const out: Record<string, unknown> = {};
        for (const item of v) {
          if (item === null || typeof item !== 'object') continue;
          const { [key]: k, ...rest } = item as Record<string, unknown>;
          if (k === undefined) continue;
          out[String(k)] = retain ? item : rest;
        }
        return out;
      };
      return { ...base, ...bodyTransform(r, params, convert) };
    }
    case 'convertobjecttoarray': {
      // Schema defaults: keyName "key", valueName "value".
      const keyName = r.str(`${P}keyName`, false) ?? 'key';
      const valueName = r.str(`${P}valueName`, false) ?? 'value';
      const convert = (v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>).map(([k, val]) => ({ [keyName]: k, [valueName]: val })) : v;
      return { ...base, ...bodyTransform(r, params, convert) };
    }
    case 'encodepropertyvalue': {
      // Assumption: URL encoding; the docs page names no other scheme for this template.
      return { ...base, ...bodyTransform(r, params, (v) => (typeof v === 'string' ? encodeURIComponent(v) : v)) };
    }
    case 'updatenextlink': {
      const property = r.str(`${P}nextLinkPropertyName`)!;
      // The schema's optional nextLinkParentPropertyPath (no docs text): assumption, the path
      // below the body root (`@body().page` or `page`) of the object holding the link.
      const parentRaw = r.str(`${P}nextLinkParentPropertyPath`, false);
      let parentPath: Array<string | number> = [];
      if (parentRaw !== undefined) {
        parentPath = parentRaw.trim().startsWith('@') ? r.path(`${P}nextLinkParentPropertyPath`, ['body'])!.path : writeTarget(r, `${P}nextLinkParentPropertyPath`).path;
      }
      return {
        ...base,
        section: 'response',
        response: (res, ctx) => {
          const holder = walk(res.body, parentPath);
          if (holder === null || typeof holder !== 'object') return;
          const obj = holder as Record<string, unknown>;
          const link = obj[property];
          if (typeof link === 'string') obj[property] = rewriteNextLink(link, ctx.backendBaseUrl, ctx.connectorBaseUrl);
        },
      };
    }
    case 'pollingtrigger': {
      const config = params[`${P}triggerConfig`];
      if (config === null || typeof config !== 'object' || Array.isArray(config)) r.fail(`${P}triggerConfig`, 'must be an object of query parameter name to value expression');
      const query: Array<[string, Template]> = [];
      let nextLinkProperty = '@odata.nextLink';
      for (const [name, raw] of Object.entries(config as Record<string, unknown>)) {
        const field = `${P}triggerConfig.${name}`;
        if (name === 'x-ms-triggerConfig-nextLink') {
          nextLinkProperty = String(raw);
          continue;
        }
        if (typeof raw !== 'string' && typeof raw !== 'number') r.fail(field, `must be a string, got ${JSON.stringify(raw)}`);
        let t: Template;
        try {
          t = parseTemplate(String(raw));
        } catch (err) {
          return r.fail(field, `cannot be evaluated: ${(err as Error).message}`);
        }
        for (const fn of functionsOf(t)) if (fn !== 'triggerBody') r.fail(field, `${fn} is not available in a trigger state expression (only @triggerBody())`);
        query.push([name, t]);
      }
      const dataPath = r.path(`${P}triggerDataPath`, ['triggerBody'])!;
      return { ...base, trigger: { query, dataPath, nextLinkProperty } };
    }
    case 'moveproperties': {
      const src = r.path(`${P}srcParentPath`, ['body'])!;
      const srcSub = r.str(`${P}srcSubPath`)!;
      const dst = r.path(`${P}dstParentPath`, ['body'])!;
      const dstSub = r.str(`${P}dstSubPath`, false);
      const onlyChildren = String(r.str(`${P}copyOnlySubProperties`, false) ?? 'false').toLowerCase() === 'true';
      const sec = section(r, params, ['request', 'response'], 'request');
      const apply = (holder: BodyRef) => {
        if (holder.body === null || typeof holder.body !== 'object') return;
        const from = walk(holder.body, src.path) as Record<string, unknown> | undefined;
        const to = walk(holder.body, dst.path) as Record<string, unknown> | undefined;
        if (!from || typeof from !== 'object' || !to || typeof to !== 'object' || !(srcSub in from)) return;
        const moved = from[srcSub];
        delete from[srcSub];
        const into = dstSub && dstSub !== 'null' ? ((to[dstSub] ??= {}) as Record<string, unknown>) : to;
        if (onlyChildren && moved !== null && typeof moved === 'object') Object.assign(into, moved);
        else into[srcSub] = moved;
      };
      return sec === 'request' ? { ...base, section: sec, request: (req) => apply(req) } : { ...base, section: sec, response: (res) => apply(res) };
    }
    case 'setconnectionstatustounauthenticated': {
      const status = Number(r.str(`${P}statusCode`)!);
      if (!Number.isInteger(status) || status < 100 || status > 599) r.fail(`${P}statusCode`, 'must be an HTTP status code');
      return {
        ...base,
        section: 'response',
        response: (res, ctx) => {
          if (res.status === status) ctx.markUnauthenticated();
        },
      };
    }
    default:
      return r.fail('templateId', `unknown template '${templateIdRaw}'`);
  }
}

/**
 * updatenextlink: the next link is moved onto the connector's root whatever its host, so the
 * platform will follow it through the connector. No docs page for the template was found (README
 * "Templates"); its sources (the schema, x-ms-pageable's description, the corpus titles) set no
 * condition on the link's host. A value that does not parse as a URL is left as it is.
 */
function rewriteNextLink(link: string, backendBaseUrl: string, connectorBaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(link, backendBaseUrl);
  } catch {
    return link;
  }
  const backend = new URL(backendBaseUrl);
  const basePath = backend.pathname.replace(/\/+$/, '');
  // Assumption: the gateway keeps the path below the API's basePath and the query; the
  // backend's host is replaced whatever it is (the service may answer with its public host).
  const rest = url.pathname.startsWith(`${basePath}/`) || url.pathname === basePath ? url.pathname.slice(basePath.length) : url.pathname;
  return `${connectorBaseUrl.replace(/\/+$/, '')}${rest}${url.search}`;
}
