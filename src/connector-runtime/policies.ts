/**
 * The policy templates of apiProperties.json, compiled once at load time into hooks that the
 * runtime runs on each call. Each template's behaviour and its source are in README.md.
 */
import {
  ExpressionError,
  functionsOf,
  parsePath,
  parseSubPath,
  parseTemplate,
  render,
  renderText,
  walk,
  type CallExpr,
  type Scope,
  type Template,
} from './expressions.js';

/** A request on its way to the backend, as policies see and change it. */
export interface OutgoingRequest {
  /** Method and path (relative to the swagger basePath, parameters filled in). */
  method: string;
  path: string;
  /** Backend root the path is appended to: origin + basePath, unless dynamichosturl changes it. */
  baseUrl: string;
  query: Array<[string, string]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: unknown;
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
  response?(res: BackendResponse, ctx: PolicyContext): void;
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

const DOCUMENTED_TEMPLATES = [
  'convertarraytoobject',
  'convertobjecttoarray',
  'dynamichosturl',
  'encodepropertyvalue',
  'pollingtrigger',
  'routerequesttoendpoint',
  'setheader',
  'setproperty',
  'setqueryparameter',
  'setvaluefromurl',
  'stringreplace',
  'stringtoarray',
  'updatenextlink',
] as const;

/** Found in accepted corpus packages but on no docs page: modelled as assumptions (README.md). */
const UNDOCUMENTED_TEMPLATES = ['moveproperties', 'setconnectionstatustounauthenticated'] as const;

const P = 'x-ms-apimTemplateParameter.';

export interface OperationShape {
  method: string;
  pathParams: string[];
}

interface Reader {
  str(name: string, required?: boolean): string | undefined;
  template(name: string, required?: boolean): Template | undefined;
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
    template(name, required = true) {
      const raw = str(name, required);
      return raw === undefined ? undefined : guard(name, () => parseTemplate(raw));
    },
    path(name, allowed, required = true) {
      const raw = str(name, required);
      return raw === undefined ? undefined : guard(name, () => parsePath(raw, allowed));
    },
  };
}

/** Templates over request headers, query, connection parameters: no body paths, no trigger body. */
function requestTemplate(r: Reader, name: string, extra: string[] = []): Template {
  const t = r.template(name)!;
  const allowed = new Set(['connectionParameters', 'headers', 'queryParameters', ...extra]);
  for (const fn of functionsOf(t)) if (!allowed.has(fn)) r.fail(name, `${fn} is not available here (allowed: ${[...allowed].join(', ')})`);
  return t;
}

function section(r: Reader, params: Record<string, unknown>, allowed: Section[], fallback: Section): Section {
  const raw = params['x-ms-apimTemplate-policySection'];
  if (raw === undefined) return fallback;
  const s = String(raw).toLowerCase() as Section;
  if (!allowed.includes(s)) r.fail('x-ms-apimTemplate-policySection', `must be one of ${allowed.join(', ')} for this template, got '${String(raw)}'`);
  return s;
}

/** Sets a header (record, lower-case names) or query pair (list) per a template's existsAction. */
export function setHeaderLike(list: Record<string, string> | Array<[string, string]>, name: string, value: string, action: string): void {
  if (Array.isArray(list)) {
    const i = list.findIndex(([n]) => n === name);
    if (i < 0) list.push([name, value]);
    else if (action === 'override') list[i] = [name, value];
    else if (action === 'append') list[i] = [name, `${list[i]![1]},${value}`];
    return;
  }
  const key = name.toLowerCase();
  if (!(key in list)) list[key] = value;
  else if (action === 'override') list[key] = value;
  else if (action === 'append') list[key] = `${list[key]},${value}`;
}

function queryRecord(q: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(q);
}

function requestScope(req: OutgoingRequest, ctx: PolicyContext): Scope {
  return { connectionParameters: ctx.connectionParameters, headers: req.headers, queryParameters: queryRecord(req.query), body: req.body, method: ctx.originalMethod };
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

/** Writes a transformed value to newPropertyPath: @item() is relative to the item, @body() to the root. */
function writeNew(root: Record<string, unknown>, item: Record<string, unknown>, target: CallExpr, value: unknown): void {
  if (target.path.length === 0) return;
  setAt(target.fn === 'item' ? item : root, target.path, value);
}

type BodyRef = { body: unknown };

/**
 * The body-transform templates share a shape: read `propertySubPath` of each object at
 * `propertyParentPath`, transform it, write to `newPropertyPath`.
 */
function bodyTransform(r: Reader, params: Record<string, unknown>, fn: (value: unknown) => unknown): Pick<CompiledPolicy, 'section' | 'request' | 'response'> {
  const parent = r.path(`${P}propertyParentPath`, ['body'])!;
  const sub = subPath(r, `${P}propertySubPath`);
  const target = r.path(`${P}newPropertyPath`, ['body', 'item'])!;
  const sec = section(r, params, ['request', 'response'], 'request');
  const apply = (holder: BodyRef) => {
    if (holder.body === null || typeof holder.body !== 'object') return;
    const root = holder.body as Record<string, unknown>;
    for (const item of targets(root, parent)) {
      const value = walk(item, sub);
      if (value === undefined) continue;
      writeNew(root, item, target, fn(value));
    }
  };
  return sec === 'request' ? { section: sec, request: (req) => apply(req) } : { section: sec, response: (res) => apply(res) };
}

function subPath(r: Reader, name: string): string[] {
  const raw = r.str(name)!;
  try {
    return parseSubPath(raw);
  } catch (err) {
    return r.fail(name, err instanceof Error ? err.message : String(err));
  }
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

export interface CompileInput {
  file: string;
  instance: Record<string, unknown>;
  index: number;
  operations: ReadonlyMap<string, OperationShape>;
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

  let ops: string[] | undefined;
  const rawOps = params['x-ms-apimTemplate-operationName'];
  if (rawOps !== undefined) {
    const list = Array.isArray(rawOps) ? rawOps : [rawOps];
    // Assumption: names match operationIds case-insensitively (certified Almabase names
    // 'Listforms' for its 'ListForms').
    const byLower = new Map([...operations.keys()].map((k) => [k.toLowerCase(), k]));
    ops = list.map((raw) => byLower.get(String(raw).toLowerCase()) ?? r.fail('x-ms-apimTemplate-operationName', `names operation '${String(raw)}', which apiDefinition.swagger.json does not have`));
  }
  const named = ops ?? [...operations.keys()];
  const base = { templateId, title, operations: ops };

  switch (templateId) {
    case 'setheader': {
      const name = r.str(`${P}name`)!;
      const value = requestTemplate(r, `${P}value`);
      const action = (r.str(`${P}existsAction`, false) ?? 'override').toLowerCase();
      if (!['override', 'skip', 'append'].includes(action)) r.fail(`${P}existsAction`, `must be override, skip or append, got '${action}'`);
      const sec = section(r, params, ['request', 'response', 'failure'], 'request');
      if (sec === 'request') return { ...base, section: sec, request: (req, ctx) => setHeaderLike(req.headers, name, renderText(value, requestScope(req, ctx)), action) };
      return {
        ...base,
        section: sec,
        response: (res, ctx) => setHeaderLike(res.headers, name, renderText(value, { connectionParameters: ctx.connectionParameters, headers: res.headers }), action),
      };
    }
    case 'setqueryparameter': {
      const name = r.str(`${P}name`)!;
      const value = requestTemplate(r, `${P}value`);
      const action = (r.str(`${P}existsAction`, false) ?? 'override').toLowerCase();
      if (!['override', 'skip'].includes(action)) r.fail(`${P}existsAction`, `must be override or skip, got '${action}'`);
      // Names arrive URL-encoded in the wild ('%24top'); the query holds decoded names.
      const decoded = decodeURIComponent(name);
      return { ...base, section: 'request', request: (req, ctx) => setHeaderLike(req.query, decoded, renderText(value, requestScope(req, ctx)), action) };
    }
    case 'dynamichosturl': {
      const url = requestTemplate(r, `${P}urlTemplate`);
      return {
        ...base,
        section: 'request',
        request: (req, ctx) => {
          const rendered = renderText(url, requestScope(req, ctx)).replace(/\/+$/, '');
          const basePath = new URL(ctx.backendBaseUrl).pathname.replace(/\/+$/, '');
          req.baseUrl = `${/^[a-z]+:\/\//i.test(rendered) ? rendered : `https://${rendered}`}${basePath}`;
        },
      };
    }
    case 'routerequesttoendpoint': {
      // Assumption: a newPath without its leading '/' is still relative to basePath (certified
      // AzureAD writes 'v1.0/users/{id}/checkMemberGroups').
      const rawPath = r.str(`${P}newPath`)!;
      const newPath = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
      for (const op of named) {
        const missing = placeholders(newPath).filter((p) => !operations.get(op)!.pathParams.includes(p));
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
        request: (req) => {
          req.path = fillPath(newPath, req.pathParams);
          if (method) req.method = method;
        },
      };
    }
    case 'setproperty': {
      const parent = r.path(`${P}newPropertyParentPathTemplate`, ['body'])!;
      const sub = subPath(r, `${P}newPropertySubPathTemplate`);
      const value = r.template(`${P}propertyValuePathTemplate`)!;
      const sec = section(r, params, ['request', 'response'], 'request');
      const apply = (holder: BodyRef, scope: Scope) => {
        if (holder.body === undefined || holder.body === null) holder.body = {};
        if (typeof holder.body !== 'object') return;
        const v = jsonish(render(value, scope), value);
        for (const obj of parent.path.length ? targets(holder.body, parent) : [holder.body as Record<string, unknown>]) setAt(obj, sub, v);
      };
      if (sec === 'request') return { ...base, section: sec, request: (req, ctx) => apply(req, requestScope(req, ctx)) };
      return { ...base, section: sec, response: (res, ctx) => apply(res, { connectionParameters: ctx.connectionParameters, headers: res.headers, body: res.body }) };
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
      section(r, params, ['request'], 'request');
      return {
        ...base,
        section: 'request',
        request: async (req, ctx) => {
          const res = await ctx.fetchJson(method, `${req.baseUrl}${fillPath(url, req.pathParams)}`);
          const value = walk(res.body, from.path);
          if (value === undefined) return;
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          if (target.fn === 'headers') req.headers[target.args[0]!.toLowerCase()] = text;
          else setHeaderLike(req.query, target.args[0]!, text, 'override');
        },
      };
    }
    case 'stringreplace': {
      const source = r.str(`${P}sourceString`)!;
      const replacement = r.str(`${P}replacementString`, false) ?? '';
      return { ...base, ...bodyTransform(r, params, (v) => (typeof v === 'string' ? v.split(source).join(replacement) : v)) };
    }
    case 'stringtoarray': {
      const delimiters = [...(r.str(`${P}delimiterList`)!)];
      const child = r.str(`${P}childPropertyName`)!;
      const split = (v: unknown) => {
        if (typeof v !== 'string') return v;
        const parts = delimiters.reduce<string[]>((acc, d) => acc.flatMap((s) => s.split(d)), [v]);
        return parts.map((s) => s.trim()).filter(Boolean).map((s) => ({ [child]: s }));
      };
      return { ...base, ...bodyTransform(r, params, split) };
    }
    case 'convertarraytoobject': {
      const key = r.str(`${P}keyWithinCollectionPath`)!;
      const retain = String(r.str(`${P}retainKey`, false) ?? 'false').toLowerCase() === 'true';
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
      const keyName = r.str(`${P}keyName`)!;
      const valueName = r.str(`${P}valueName`)!;
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
      return {
        ...base,
        section: 'response',
        response: (res, ctx) => {
          if (res.body === null || typeof res.body !== 'object') return;
          const body = res.body as Record<string, unknown>;
          const link = body[property];
          if (typeof link === 'string') body[property] = rewriteNextLink(link, ctx.backendBaseUrl, ctx.connectorBaseUrl);
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
      return r.fail('templateId', `unknown template '${templateIdRaw}' (known: ${[...DOCUMENTED_TEMPLATES, ...UNDOCUMENTED_TEMPLATES].join(', ')})`);
  }
}

/**
 * updatenextlink: the next link is moved onto the connector's root whatever its host, so the
 * platform will follow it through the connector. The docs page (Microsoft Learn,
 * policy-templates/updatenextlink) sets no condition on the link's host; a value that does not
 * parse as a URL is left as it is.
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
