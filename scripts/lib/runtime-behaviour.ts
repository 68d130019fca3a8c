/**
 * Behaviour measurement for `npm run runtime:corpus`: runs, for every policy instance of a
 * package, each operation the instance names through the connector runtime against a recording
 * backend, with inputs generated from the swagger (types, defaults, enums), and checks each
 * request sent:
 *   - no expression (`@fn(`, `@{`, `{@`, `@Request.`) left unevaluated in the URL, headers or body;
 *   - no path segment (or run of segments) doubled, and at most one `?`;
 *   - scheme, host and path as the swagger and the host/route templates imply;
 *   - headers and query as the setheader / setqueryparameter instances say; the credential as
 *     securityDefinitions declare; body, response and trigger templates writing what they say.
 * An instance is "applied without anomaly" when every run of every operation it names is clean
 * of anomalies attributed to it. Research tooling: `npm test` runs it on fixtures only.
 */
import {
  ConnectorRuntime,
  FlowInputError,
  FlowRunError,
  PackageError,
  parsePackage,
  LOCAL_RUN,
  parsePath,
  parseTemplate,
  platformHeaders,
  PollingTrigger,
  render,
  SEPARATE_LINES,
  type ConnectorPackage,
  type Operation,
} from '../../src/connector-runtime/index.js';
import { walk } from '../../src/connector-runtime/expressions.js';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Recording backend

export interface RecordedRequest {
  method: string;
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The body text as sent, and its JSON value when it parses. */
  text?: string;
  body?: unknown;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A fetch that records every request and answers with `answer(request)` (JSON). */
export function recordingBackend(answer: (req: RecordedRequest) => Answer = () => ({ body: {} })): { fetch: typeof fetch; sent: RecordedRequest[] } {
  const sent: RecordedRequest[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const text = typeof init?.body === 'string' ? init.body : init?.body ? await new Response(init.body).text() : undefined;
    let body: unknown;
    if (text !== undefined) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const req: RecordedRequest = { method: init?.method ?? 'GET', url: String(input), headers, text, body };
    sent.push(req);
    const a = answer(req);
    const empty = a.body === undefined || a.status === 204;
    return new Response(empty ? null : JSON.stringify(a.body), { status: a.status ?? 200, headers: { 'content-type': 'application/json', ...a.headers } });
  };
  return { fetch: fetchImpl, sent };
}

// ---------------------------------------------------------------------------------------------
// Request checks (pure: a recorded request and what it should have been)

/** An expression left in sent text: a call, an interpolation or @Request. ('a@b.c' is not one). */
const UNEVALUATED = /@\{|\{@|@Request\.|@[A-Za-z]+\s*\(/;

export type Place = 'path' | 'query' | 'header' | 'body';

export interface Anomaly {
  check: 'unevaluated-expression' | 'doubled-segment' | 'question-marks' | 'host' | 'path' | 'header' | 'query' | 'credential' | 'body' | 'response' | 'trigger' | 'run';
  /** Where: a header or query name, a body path. */
  place?: string;
  detail: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Anomalies of expressions left in a request, by place (decoded URL parts, header values, body text). */
export function unevaluatedExpressions(req: RecordedRequest): Array<Anomaly & { where: Place }> {
  const out: Array<Anomaly & { where: Place }> = [];
  const q = req.url.indexOf('?');
  const pathPart = decode(q < 0 ? req.url : req.url.slice(0, q));
  if (UNEVALUATED.test(pathPart)) out.push({ check: 'unevaluated-expression', where: 'path', detail: `the URL path holds an expression: ${pathPart}` });
  if (q >= 0) {
    for (const pair of req.url.slice(q + 1).split('&')) {
      const text = decode(pair.replace(/\+/g, ' '));
      if (UNEVALUATED.test(text)) out.push({ check: 'unevaluated-expression', where: 'query', place: text.split('=')[0], detail: `the query holds an expression: ${text}` });
    }
  }
  for (const [name, value] of Object.entries(req.headers)) {
    if (UNEVALUATED.test(value)) out.push({ check: 'unevaluated-expression', where: 'header', place: name, detail: `header ${name} holds an expression: ${value}` });
  }
  const m = req.text === undefined ? null : UNEVALUATED.exec(req.text);
  if (m) {
    // The expression itself: from the match to the end of its JSON string.
    const rest = req.text!.slice(m.index);
    out.push({ check: 'unevaluated-expression', where: 'body', detail: `the body holds an expression: ${rest.slice(0, Math.min(rest.length, (rest.indexOf('"') + 1 || rest.length + 1) - 1, 160))}` });
  }
  return out;
}

/** The first run of path segments that is immediately repeated (`/a/b/a/b`), or an empty segment. */
export function doubledSegments(pathname: string): string | undefined {
  const segs = pathname.split('/').slice(1);
  if (segs.length && segs[segs.length - 1] === '') segs.pop(); // one trailing '/' is not a doubling
  if (segs.some((s) => s === '')) return `an empty segment ('//') in ${pathname}`;
  for (let k = 1; 2 * k <= segs.length; k++) {
    for (let i = 0; i + 2 * k <= segs.length; i++) {
      const a = segs.slice(i, i + k).join('/');
      if (a === segs.slice(i + k, i + 2 * k).join('/')) return `'/${a}' twice in a row in ${pathname}`;
    }
  }
  return undefined;
}

export interface Expectation {
  /** scheme://host[:port] and path, as the swagger and the host/route templates imply. */
  origin: string;
  path: string;
  /** Header name (lower case) -> value; a RegExp when only part of the value is known. */
  headers: Record<string, string | RegExp>;
  /** Query name -> value. */
  query: Record<string, string | RegExp>;
}

function matches(actual: string | undefined, expected: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof expected === 'string' ? actual === expected : expected.test(actual);
}

/** Checks one sent request against its expectation; anomalies name what differs. */
export function checkRequest(req: RecordedRequest, expected: Expectation): Anomaly[] {
  const out: Anomaly[] = unevaluatedExpressions(req).map(({ where: _w, ...a }) => a);
  const marks = (req.url.match(/\?/g) ?? []).length;
  if (marks > 1) out.push({ check: 'question-marks', detail: `${marks} '?' in ${req.url}` });
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    out.push({ check: 'host', detail: `not a URL: ${req.url}` });
    return out;
  }
  if (url.origin.toLowerCase() !== expected.origin.toLowerCase()) out.push({ check: 'host', detail: `sent to ${url.origin}, expected ${expected.origin}` });
  const doubled = doubledSegments(url.pathname);
  if (doubled && doubledSegments(expected.path) !== doubled) out.push({ check: 'doubled-segment', detail: doubled });
  if (decode(url.pathname) !== decode(expected.path)) out.push({ check: 'path', detail: `path ${url.pathname}, expected ${expected.path}` });
  for (const [name, value] of Object.entries(expected.headers)) {
    if (!matches(req.headers[name], value)) out.push({ check: 'header', place: name, detail: `header ${name} is ${JSON.stringify(req.headers[name])}, expected ${String(value)}` });
  }
  for (const [name, value] of Object.entries(expected.query)) {
    const actual = url.searchParams.get(name) ?? undefined;
    if (!matches(actual, value)) out.push({ check: 'query', place: name, detail: `query ${name} is ${JSON.stringify(actual)}, expected ${String(value)}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated inputs

const P = 'x-ms-apimTemplateParameter.';

function resolve(definition: Json, node: unknown, depth = 0): Json {
  let cur = (node ?? {}) as Json;
  for (let i = 0; typeof cur.$ref === 'string' && i < 32; i++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/')) return {};
    let target: unknown = definition;
    for (const key of ref.slice(2).split('/')) target = (target as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')];
    cur = (target ?? {}) as Json;
  }
  return depth > 64 ? {} : cur;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 24) || 'x';
}

/** How a generated string is used: a whole URL, a host, a host label, or plain text. */
export type StringUse = 'url' | 'host' | 'label' | 'text';

function fitsType(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'string':
    case 'file':
      return typeof value === 'string';
    default:
      return true;
  }
}

/** A generated value for a swagger schema or parameter: default, then enum, then by type and format. */
export function sampleValue(definition: Json, node: unknown, name: string, use: StringUse = 'text', depth = 0): unknown {
  const s = resolve(definition, node, depth);
  // Scalar defaults and enums only, and only when they fit the declared type (accepted packages
  // carry object defaults full of nulls and enums of strings on booleans).
  const scalar = (v: unknown) => v !== undefined && v !== null && v !== '' && typeof v !== 'object' && fitsType(s.type, v);
  if (use === 'text' && scalar(s.default)) return s.default;
  const fitting = Array.isArray(s.enum) ? s.enum.filter(scalar) : [];
  if (fitting.length) return fitting[0];
  const type = typeof s.type === 'string' ? s.type : s.properties ? 'object' : s.items ? 'array' : 'string';
  switch (type) {
    case 'integer':
      return inRange(s, 1, true);
    case 'number':
      return inRange(s, 1.5, false);
    case 'boolean':
      return true;
    case 'array':
      return depth > 6 ? [] : [sampleValue(definition, s.items, name, 'text', depth + 1)];
    case 'object': {
      if (depth > 6) return {};
      const out: Json = {};
      for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) {
        const value = sampleValue(definition, v, k, 'text', depth + 1);
        if (value !== undefined) out[k] = value;
      }
      // Required names the schema gives no property for still get a value.
      for (const k of Array.isArray(s.required) ? (s.required as unknown[]).map(String) : []) out[k] ??= `v-${slug(k)}`;
      return out;
    }
    case 'file':
      return `file-${slug(name)}`;
    default:
      break;
  }
  switch (use) {
    case 'url':
      return `https://${slug(name)}.example.test`;
    case 'host':
      return `${slug(name)}.example.test`;
    case 'label':
      return slug(name);
    default:
      break;
  }
  const text = inLength(s, textOf(s.format, name));
  // A pattern the generated text misses: the schema's own example, when it matches (intelliHR's
  // currency, ^[A-Z]{3}$ with the example AUD).
  if (typeof s.pattern === 'string' && typeof s.example === 'string' && !matchesPattern(s.pattern, text) && matchesPattern(s.pattern, s.example)) return s.example;
  return text;
}

function matchesPattern(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return true; // as the runtime, which does not check a pattern JavaScript cannot compile
  }
}

function textOf(format: unknown, name: string): string {
  switch (format) {
    case 'date-time':
      return '2024-01-02T03:04:05Z';
    case 'date':
      return '2024-01-02';
    case 'uuid':
    case 'guid':
      return '00000000-0000-4000-8000-000000000001';
    case 'email':
      return 'someone@example.test';
    case 'uri':
      return 'https://example.test/resource';
    default:
      return `v-${slug(name)}`;
  }
}

/**
 * The runtime refuses a body value outside its schema's length, range and pattern
 * (src/connector-runtime/inputs.ts), so a generated value keeps within them: a refused call
 * would measure the generator, not the policies (corpus: Blackbaud's maxLength 19, intelliHR's
 * minLength 36, CognitiveServicesQuestionAnswering's maximum 1).
 */
function inLength(s: Json, text: string): string {
  if (typeof s.maxLength === 'number' && text.length > s.maxLength) return text.slice(0, Math.max(0, s.maxLength));
  if (typeof s.minLength === 'number' && text.length < s.minLength) return text.padEnd(s.minLength, 'x');
  return text;
}

function inRange(s: Json, value: number, integer: boolean): number {
  const min = typeof s.minimum === 'number' ? s.minimum : undefined;
  const max = typeof s.maximum === 'number' ? s.maximum : undefined;
  const fits = (v: number) =>
    (!integer || Number.isInteger(v)) &&
    (min === undefined || (s.exclusiveMinimum === true ? v > min : v >= min)) &&
    (max === undefined || (s.exclusiveMaximum === true ? v < max : v <= max));
  if (fits(value)) return value;
  const candidates = [min, max, min !== undefined && max !== undefined ? (min + max) / 2 : undefined, min !== undefined ? min + 1 : undefined, max !== undefined ? max - 1 : undefined];
  return candidates.find((v): v is number => v !== undefined && fits(v)) ?? value;
}

/**
 * How dynamichosturl templates use each value they read: `@fn('name')` at the very start is a
 * whole URL; right after `://` and followed by nothing, '/', ':' or the end, a host; inside a host
 * name (next to '.' or '-'), a label.
 */
export function urlUses(templates: string[]): Map<string, StringUse> {
  const uses = new Map<string, StringUse>();
  for (const t of templates) {
    for (const m of t.matchAll(/@\{?\s*(connectionParameters|headers?|queryParameters)\(\s*'([^']+)'[^)]*\)\}?/gi)) {
      const before = t.slice(0, m.index);
      const after = t.slice(m.index! + m[0].length);
      const key = `${m[1]!.toLowerCase().replace(/^header$/, 'headers')}:${m[2]!.toLowerCase()}`;
      let use: StringUse = 'text';
      if (before === '') use = 'url';
      else if (/:\/\/$/.test(before) && /^($|[/:?])/.test(after)) use = 'host';
      else if (/[.\-a-z0-9]$/i.test(before) || /^[.-]/.test(after) || /:\/\/$/.test(before)) use = /:\/\/[^/]*$/.test(before) || /:\/\/$/.test(before) ? 'label' : 'text';
      if (!uses.has(key)) uses.set(key, use);
    }
  }
  return uses;
}

export interface Generated {
  connectionParameters: Record<string, unknown>;
  token: string;
}

/** Values for every declared connection parameter and for what the credential needs. */
export function connectionValues(pkg: ConnectorPackage, uses: Map<string, StringUse>): Generated {
  const values: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(pkg.connectionParameters)) {
    const type = String(p?.type ?? 'string');
    if (type === 'oauthSetting' || type === 'gatewaySetting') continue;
    const allowed = ((p?.uiDefinition as Json | undefined)?.constraints as Json | undefined)?.allowedValues;
    if (Array.isArray(allowed) && allowed.length && (allowed[0] as Json)?.value !== undefined) values[name] = (allowed[0] as Json).value;
    else if (type === 'int') values[name] = 1;
    else if (type === 'bool') values[name] = true;
    else values[name] = sampleValue({}, { type: 'string' }, name, uses.get(`connectionparameters:${name.toLowerCase()}`) ?? 'text');
  }
  const c = pkg.credential;
  if (c.kind === 'apiKey') values[c.parameter] ??= 'corpus-api-key';
  if (c.kind === 'basic') {
    values[c.username] ??= 'corpus-user';
    values[c.password] ??= 'corpus-password';
  }
  return { connectionParameters: values, token: 'corpus-token' };
}

/** Every parameter of an operation filled (required and optional), internal ones left to the runtime. */
export function operationInputs(pkg: ConnectorPackage, op: Operation, uses: Map<string, StringUse>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const p of op.parameters) {
    if (p.internal && p.default !== undefined) continue; // the runtime sends the default
    if (p.in === 'body') {
      inputs[p.name] = sampleValue(pkg.definition, p.schema, p.name);
      continue;
    }
    const key = p.in === 'header' ? 'headers' : p.in === 'query' ? 'queryparameters' : '';
    const use = uses.get(`${key}:${p.name.toLowerCase()}`) ?? 'text';
    const raw = findRaw(pkg, op, p.name, p.in);
    const node = { type: p.type, default: p.default, enum: raw.enum, format: raw.format };
    let value = sampleValue(pkg.definition, node, p.name, use);
    if (p.in === 'path' && value === '') value = `v-${slug(p.name)}`;
    inputs[p.name] = value;
  }
  return inputs;
}

/** The raw swagger parameter object, resolved (for enum/format, which Operation does not keep). */
function findRaw(pkg: ConnectorPackage, op: Operation, name: string, where: string): Json {
  const item = ((pkg.definition.paths ?? {}) as Record<string, Json>)[op.path] ?? {};
  const raw = [...((item.parameters ?? []) as unknown[]), ...((((item[op.method.toLowerCase()] ?? {}) as Json).parameters ?? []) as unknown[])];
  for (const r of raw) {
    const p = resolve(pkg.definition, r);
    if (p.name === name && p.in === where) return p;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Per-package measurement

export interface InstanceResult {
  index: number;
  templateId: string;
  title: string;
  loaded: boolean;
  /** Why it did not load, or its anomalies by operation. */
  refusal?: string;
  anomalies: Array<{ operation: string } & Anomaly>;
  /** Operations run for it. */
  operations: number;
}

export interface PackageResult {
  name: string;
  loaded: boolean;
  refusal?: string;
  credential?: string;
  instances: InstanceResult[];
  /** Anomalies of the swagger alone (no instance on the operation to hold them against). */
  packageAnomalies: Array<{ operation: string } & Anomaly>;
}

interface Instance {
  index: number;
  templateId: string;
  title: string;
  params: Json;
  operations: string[];
  section: string;
}

/** The package's instances; `kept` maps pkg.policies back to instance indexes when some were left out. */
function instancesOf(properties: Json, pkg: ConnectorPackage | undefined, kept?: number[]): Instance[] {
  const raw = (((properties.properties ?? {}) as Json).policyTemplateInstances ?? []) as unknown[];
  return (Array.isArray(raw) ? raw : []).map((i, index) => {
    const inst = (i ?? {}) as Json;
    const params = (inst.parameters ?? {}) as Json;
    const at = kept ? kept.indexOf(index) : index;
    const policy = at < 0 ? undefined : pkg?.policies[at];
    return {
      index,
      templateId: String(inst.templateId ?? '').toLowerCase(),
      title: typeof inst.title === 'string' && inst.title ? inst.title : `#${index + 1}`,
      params,
      operations: policy ? (policy.operations ?? [...pkg!.operations.keys()]) : [],
      section: String(params['x-ms-apimTemplate-policySection'] ?? (String(inst.templateId).toLowerCase() === 'updatenextlink' ? 'Response' : 'Request')).toLowerCase(),
    };
  });
}

const HOST_TEMPLATES = new Set(['dynamichosturl']);
const ROUTE_TEMPLATES = new Set(['routerequesttoendpoint']);
const BODY_TEMPLATES = new Set(['setproperty', 'stringreplace', 'stringtoarray', 'convertarraytoobject', 'convertobjecttoarray', 'encodepropertyvalue', 'moveproperties']);

function swaggerOrigin(pkg: ConnectorPackage): { origin: string; basePath: string } {
  const schemes = pkg.definition.schemes;
  const scheme = Array.isArray(schemes) && schemes.length ? String(schemes[0]) : 'https';
  const host = pkg.host || 'backend.invalid';
  return { origin: `${scheme}://${host}`, basePath: pkg.basePath === '/' ? '' : pkg.basePath };
}

function encodePath(value: unknown, double: boolean): string {
  const once = encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value));
  return double ? encodeURIComponent(once) : once;
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^{}]+)\}/g, (_, n: string) => values[n] ?? '');
}

/** The scope policy templates see for this call, before any policy ran. */
function scopeOf(op: Operation, inputs: Record<string, unknown>, gen: Generated, sentHeaders: Record<string, string>) {
  const headers: Record<string, string> = { ...sentHeaders };
  const query: Record<string, string> = {};
  let body: unknown;
  for (const p of op.parameters) {
    const v = p.internal ? (p.default ?? inputs[p.name]) : inputs[p.name];
    if (v === undefined) continue;
    if (p.in === 'header') headers[p.name.toLowerCase()] = String(v);
    if (p.in === 'query') query[p.name] = Array.isArray(v) ? v.join(',') : String(v);
    if (p.in === 'body') body = v;
  }
  return { connectionParameters: gen.connectionParameters, headers, queryParameters: query, body, method: op.method };
}

function tryRender(source: string, scope: Parameters<typeof render>[1], encode?: (t: string) => string): string | undefined {
  try {
    const t = parseTemplate(source);
    const v = render(t, scope, { encode });
    return typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  } catch {
    return undefined;
  }
}

/** The request the swagger and the host/route/header/query instances on `op` imply. */
export function expectedRequest(pkg: ConnectorPackage, op: Operation, instances: Instance[], inputs: Record<string, unknown>, gen: Generated, platform: Record<string, string>): Expectation {
  const { origin: swaggerOriginText, basePath } = swaggerOrigin(pkg);
  const on = instances.filter((i) => i.operations.includes(op.operationId));
  const scope = scopeOf(op, inputs, gen, platform);
  let base = `${swaggerOriginText}${basePath}`;
  for (const h of on.filter((i) => HOST_TEMPLATES.has(i.templateId))) {
    const rendered = tryRender(String(h.params[`${P}urlTemplate`]), scope);
    if (rendered === undefined) continue;
    let url = /^[a-z][a-z0-9+.-]*:\/\//i.test(rendered.trim()) ? rendered.trim() : `https://${rendered.trim()}`;
    if (url.includes('?')) url = url.slice(0, url.indexOf('?'));
    base = url.replace(/\/+$/, '');
  }
  const pathValues: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const v = p.internal ? (p.default ?? inputs[p.name]) : inputs[p.name];
    if (v !== undefined) pathValues[p.name] = encodePath(v, p.urlEncoding === 'double');
  }
  let path = fill(op.path, pathValues);
  for (const r of on.filter((i) => ROUTE_TEMPLATES.has(i.templateId))) {
    const raw = String(r.params[`${P}newPath`]);
    const rendered = tryRender(raw.startsWith('/') ? raw : `/${raw}`, scope, encodeURIComponent);
    if (rendered !== undefined) path = fill(rendered.split('?')[0]!, pathValues);
  }
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    parsed = new URL('https://invalid.invalid');
  }

  // Headers: platform headers, credential, header inputs, then each setheader in order.
  const headers: Record<string, string> = { ...platform };
  const expectHeaders: Record<string, string | RegExp> = {};
  const query: Record<string, string> = { ...scope.queryParameters };
  const expectQuery: Record<string, string | RegExp> = {};
  for (const [k, v] of Object.entries(scope.headers)) headers[k] = v;
  const c = pkg.credential;
  if (c.kind === 'oauth2') headers.authorization = `Bearer ${gen.token}`;
  if (c.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${String(gen.connectionParameters[c.username])}:${String(gen.connectionParameters[c.password])}`).toString('base64')}`;
  if (c.kind === 'apiKey' && c.in === 'header') headers[c.name.toLowerCase()] = String(gen.connectionParameters[c.parameter]);
  if (c.kind === 'apiKey' && c.in === 'query') query[c.name] = String(gen.connectionParameters[c.parameter]);
  const credentialHeader = c.kind === 'oauth2' || c.kind === 'basic' ? 'authorization' : c.kind === 'apiKey' && c.in === 'header' ? c.name.toLowerCase() : undefined;
  if (credentialHeader) expectHeaders[credentialHeader] = headers[credentialHeader]!;
  if (c.kind === 'apiKey' && c.in === 'query') expectQuery[c.name] = query[c.name]!;
  for (const i of on) {
    if (i.section !== 'request') continue;
    if (i.templateId === 'setheader' || i.templateId === 'setqueryparameter') {
      const rawName = String(i.params[`${P}name`]);
      const name = i.templateId === 'setheader' ? rawName.toLowerCase() : decode(rawName);
      const target = i.templateId === 'setheader' ? headers : query;
      const value = tryRender(String(i.params[`${P}value`]), { ...scope, headers, queryParameters: query });
      if (value === undefined) continue;
      const action = String(i.params[`${P}existsAction`] ?? 'override').toLowerCase();
      const sep = i.templateId === 'setheader' && SEPARATE_LINES.has(name) ? ', ' : ',';
      if (!(name in target) || action === 'override') target[name] = value;
      else if (action === 'append') target[name] = `${target[name]}${sep}${value}`;
      (i.templateId === 'setheader' ? expectHeaders : expectQuery)[name] = target[name]!;
    }
  }
  return { origin: parsed.origin, path: `${parsed.pathname.replace(/\/+$/, '')}${path}`, headers: expectHeaders, query: expectQuery };
}

/** Which instance on the operation an anomaly is held against (undefined: the swagger alone). */
function blame(a: Anomaly & { where?: Place }, on: Instance[]): Instance[] {
  const of = (ids: Set<string>) => on.filter((i) => ids.has(i.templateId));
  const named = (tpl: string, name: string | undefined) => on.filter((i) => i.templateId === tpl && name !== undefined && String(i.params[`${P}name`]).toLowerCase() === name.toLowerCase());
  switch (a.check) {
    case 'host':
      return of(HOST_TEMPLATES);
    case 'path':
    case 'doubled-segment': {
      const route = of(ROUTE_TEMPLATES);
      return route.length ? route : of(HOST_TEMPLATES);
    }
    case 'question-marks':
      return on.filter((i) => ROUTE_TEMPLATES.has(i.templateId) || HOST_TEMPLATES.has(i.templateId) || i.templateId === 'setqueryparameter');
    case 'header':
      return named('setheader', a.place);
    case 'query':
      return named('setqueryparameter', a.place);
    case 'unevaluated-expression':
      if (a.where === 'header') return named('setheader', a.place);
      if (a.where === 'query') return on.filter((i) => i.templateId === 'setqueryparameter' || ROUTE_TEMPLATES.has(i.templateId) || HOST_TEMPLATES.has(i.templateId));
      if (a.where === 'path') return on.filter((i) => ROUTE_TEMPLATES.has(i.templateId) || HOST_TEMPLATES.has(i.templateId));
      return on.filter((i) => BODY_TEMPLATES.has(i.templateId));
    default:
      return on;
  }
}

/** The answer the recording backend gives for an operation: its success schema filled, plus what response templates read. */
function answerBody(pkg: ConnectorPackage, op: Operation, on: Instance[], backendBase: string): unknown {
  const raw = (((pkg.definition.paths ?? {}) as Record<string, Json>)[op.path] ?? {})[op.method.toLowerCase()] as Json | undefined;
  const responses = (raw?.responses ?? {}) as Json;
  const ok = Object.keys(responses).find((k) => /^2\d\d$/.test(k));
  let body = ok ? sampleValue(pkg.definition, (resolve(pkg.definition, responses[ok]) as Json).schema, 'response') : undefined;
  if (body === undefined || body === null || typeof body !== 'object') body = {};
  const obj = body as Json;
  for (const i of on) {
    if (i.templateId === 'updatenextlink') {
      const holder = holderFor(obj, i.params[`${P}nextLinkParentPropertyPath`]);
      holder[String(i.params[`${P}nextLinkPropertyName`])] = `${backendBase}/page-2?skip=2`;
    }
    if (i.templateId === 'setvaluefromurl') setPath(obj, pathOf(String(i.params[`${P}parameterValuePathTemplate`])), 'value-from-url');
    if (i.templateId === 'setproperty' && i.section === 'response') {
      // What its value template reads from the answer is there, so the template is exercised.
      for (const m of String(i.params[`${P}propertyValuePathTemplate`]).matchAll(/body\(\)((?:\.[\w@$-]+|\[[^\]]+\])+)/g)) {
        const path = pathOf(`@body()${m[1]}`);
        if (walk(obj, path) === undefined) setPath(obj, path, `read-${String(path[path.length - 1])}`);
      }
    }
    if (i.templateId === 'pollingtrigger') {
      const dataPath = pathOf(String(i.params[`${P}triggerDataPath`]));
      const items = dataPath.length ? walk(obj, dataPath) : obj;
      if (!Array.isArray(items) || items.length === 0) setPath(obj, dataPath, [{}]);
      for (const raw of Object.values((i.params[`${P}triggerConfig`] ?? {}) as Json)) {
        for (const m of String(raw).matchAll(/triggerBody\(\)((?:\.[\w@$-]+|\[[^\]]+\])+)/g)) {
          const path = parsePath(`@triggerBody()${m[1]}`, ['triggerBody']).path;
          if (walk(obj, path) === undefined) setPath(obj, path, '2024-01-02T03:04:05Z');
        }
      }
    }
  }
  return body;
}

function pathOf(source: string): Array<string | number> {
  try {
    return parsePath(source.replace(/^(@?)triggerBody\(\)/, '$1body()'), ['body']).path;
  } catch {
    return [];
  }
}

function holderFor(body: Json, parentRaw: unknown): Json {
  if (typeof parentRaw !== 'string' || !parentRaw) return body;
  const path = parentRaw.trim().startsWith('@') ? pathOf(parentRaw) : parentRaw.split('.');
  const existing = walk(body, path);
  if (existing && typeof existing === 'object') return existing as Json;
  setPath(body, path, {});
  return walk(body, path) as Json;
}

function setPath(obj: Json, path: ReadonlyArray<string | number>, value: unknown): void {
  if (!path.length) return;
  let cur: Record<string | number, unknown> = obj;
  for (const [n, key] of path.slice(0, -1).entries()) {
    if (cur[key] === null || typeof cur[key] !== 'object') cur[key] = typeof path[n + 1] === 'number' ? [] : {};
    cur = cur[key] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

/** Loads a package; when it is refused, each instance is tried alone to say which load. */
export function loadInstances(definition: Json, properties: Json): { pkg?: ConnectorPackage; refusal?: string; loadedAlone: Map<number, string | undefined> } {
  const raw = (((properties.properties ?? {}) as Json).policyTemplateInstances ?? []) as unknown[];
  const loadedAlone = new Map<number, string | undefined>();
  try {
    const pkg = parsePackage(definition, properties);
    (Array.isArray(raw) ? raw : []).forEach((_, i) => loadedAlone.set(i, undefined));
    return { pkg, loadedAlone };
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    (Array.isArray(raw) ? raw : []).forEach((inst, i) => {
      try {
        parsePackage(definition, { properties: { ...((properties.properties ?? {}) as Json), policyTemplateInstances: [inst] } });
        loadedAlone.set(i, undefined);
      } catch (e) {
        if (!(e instanceof PackageError)) throw e;
        loadedAlone.set(i, e.message);
      }
    });
    return { refusal: err.message, loadedAlone };
  }
}

const CONNECTOR_BASE = 'https://connector.corpus.invalid/apim/c/1';

/** Runs and checks every operation the package's instances name. */
export async function measurePackage(name: string, definition: Json, properties: Json): Promise<PackageResult> {
  const { pkg: whole, refusal, loadedAlone } = loadInstances(definition, properties);
  // A refused package is measured without the instances it was refused for, so the others
  // still count: the refusal itself is reported.
  let pkg = whole;
  if (!pkg && loadedAlone.size) {
    const raw = ((properties.properties ?? {}) as Json).policyTemplateInstances as unknown[];
    try {
      pkg = parsePackage(definition, { ...properties, properties: { ...((properties.properties ?? {}) as Json), policyTemplateInstances: raw.filter((_, i) => loadedAlone.get(i) === undefined) } });
    } catch (err) {
      if (!(err instanceof PackageError)) throw err;
    }
  }
  const kept = pkg && !whole ? [...loadedAlone].filter(([, why]) => why === undefined).map(([i]) => i) : undefined;
  const all = instancesOf(properties, pkg, kept);
  const results = new Map<number, InstanceResult>(
    all.map((i) => [i.index, { index: i.index, templateId: i.templateId, title: i.title, loaded: loadedAlone.get(i.index) === undefined && !!pkg, refusal: loadedAlone.get(i.index) ?? (pkg ? undefined : `package refused: ${refusal}`), anomalies: [], operations: 0 }]),
  );
  const result: PackageResult = { name, loaded: !!whole, refusal, credential: pkg ? describeCredential(pkg) : undefined, instances: [...results.values()], packageAnomalies: [] };
  if (!pkg) return result;

  const uses = urlUses(all.filter((i) => HOST_TEMPLATES.has(i.templateId)).map((i) => String(i.params[`${P}urlTemplate`])));
  const gen = connectionValues(pkg, uses);
  const { origin, basePath } = swaggerOrigin(pkg);
  const backendBase = `${origin}${basePath}`;
  const runtime = new ConnectorRuntime(pkg);
  const opsToRun = [...new Set(all.flatMap((i) => i.operations))].filter((op) => !pkg.triggers.has(op) || all.some((i) => i.operations.includes(op) && i.templateId !== 'pollingtrigger'));

  const definitionText = JSON.stringify(definition);
  const hold = (instances: Instance[], operation: string, a: Anomaly) => {
    if (!instances.length) {
      // Defaults such as "@{workflow()}" are workflow-definition-language expressions, evaluated
      // by the flow engine before the connector is called; the runtime does not model that engine.
      const wdl = a.check === 'unevaluated-expression' ? /expression: (.+)$/.exec(a.detail) : null;
      if (wdl && definitionText.includes(wdl[1]!.slice(0, 40))) a = { ...a, detail: `a swagger default holds the flow-engine expression ${wdl[1]} (workflow definition language, evaluated by the flow engine before the connector is called; not modelled)` };
      result.packageAnomalies.push({ operation, ...a });
    }
    for (const i of instances) results.get(i.index)!.anomalies.push({ operation, ...a });
  };

  for (const opId of opsToRun) {
    const op = pkg.operations.get(opId)!;
    const on = all.filter((i) => i.operations.includes(opId));
    for (const i of on) results.get(i.index)!.operations++;
    const inputs = operationInputs(pkg, op, uses);
    const answer = answerBody(pkg, op, on, backendBase);
    const failureRun = on.some((i) => i.section === 'failure');
    for (const status of failureRun ? [200, 500] : [200]) {
      const backend = recordingBackend(() => ({ status, body: structuredClone(answer) }));
      let conn;
      try {
        conn = runtime.connect({ backendBaseUrl: backendBase, connectorBaseUrl: CONNECTOR_BASE, token: gen.token, connectionParameters: gen.connectionParameters, callLimit: false, fetch: backend.fetch, requestId: () => 'corpus-request' });
      } catch (err) {
        hold(on, opId, { check: 'run', detail: `connection: ${(err as Error).message}` });
        break;
      }
      let res;
      try {
        res = await conn.invoke(opId, inputs);
      } catch (err) {
        if (!(err instanceof FlowInputError || err instanceof FlowRunError)) throw err;
        hold(on, opId, { check: 'run', detail: `the call was refused: ${err.message}` });
        break;
      }
      if (res.status === 400 && (res.body as Json)?.error && ((res.body as Json).error as Json).code === 'PolicyExpressionFailed') {
        const message = String(((res.body as Json).error as Json).message);
        hold(on.filter((i) => message.includes(`'${i.title}'`)), opId, { check: 'run', detail: message });
        break;
      }
      const main = backend.sent[backend.sent.length - 1];
      if (!main) {
        hold(on, opId, { check: 'run', detail: `nothing reached the backend (status ${res.status})` });
        break;
      }
      const platform = platformHeaders(LOCAL_RUN, opId, 'corpus-request');
      const expected = expectedRequest(pkg, op, on, inputs, gen, platform);
      const leftovers = unevaluatedExpressions(main);
      for (const a of leftovers) hold(blame(a, on), opId, a);
      for (const a of checkRequest(main, expected).filter((x) => x.check !== 'unevaluated-expression')) hold(blame(a, on), opId, a);
      // Side requests (setvaluefromurl) are checked for leftover expressions too.
      for (const side of backend.sent.slice(0, -1)) for (const a of unevaluatedExpressions(side)) hold(on.filter((i) => i.templateId === 'setvaluefromurl'), opId, a);
      checkTemplates(on, res, main, status, hold, opId);
    }
  }
  for (const i of all.filter((x) => BODY_TEMPLATES.has(x.templateId) && results.get(x.index)!.loaded)) {
    for (const opId of i.operations) await checkBodyTemplateAlone(definition, properties, i, opId, uses, (a) => hold([i], opId, a));
  }
  for (const i of all.filter((x) => x.templateId === 'pollingtrigger' && results.get(x.index)!.loaded)) {
    for (const opId of i.operations) {
      results.get(i.index)!.operations++;
      await checkPollingTrigger(pkg, opId, i, gen, uses, backendBase, (a) => hold([i], opId, a));
    }
  }
  return result;
}

function describeCredential(pkg: ConnectorPackage): string {
  const c = pkg.credential;
  if (c.kind === 'apiKey') return `apiKey in ${c.in} '${c.name}' from connection parameter '${c.parameter}'`;
  if (c.kind === 'oauth2') return `oauth2${c.definition ? '' : ' (oauthSetting, no securityDefinitions)'}`;
  if (c.kind === 'basic') return 'basic';
  return c.note ? `none (${c.note})` : 'none';
}

/** What the body, response and next-link templates say, checked on the sent request and the flow's answer. */
function checkTemplates(
  on: Instance[],
  res: { status: number; headers: Record<string, string>; body: unknown },
  sent: RecordedRequest,
  status: number,
  hold: (instances: Instance[], operation: string, a: Anomaly) => void,
  opId: string,
): void {
  for (const i of on) {
    const param = (k: string) => i.params[`${P}${k}`];
    if (i.templateId === 'updatenextlink' && status < 400) {
      const holder = walk(res.body, typeof param('nextLinkParentPropertyPath') === 'string' ? (String(param('nextLinkParentPropertyPath')).startsWith('@') ? pathOf(String(param('nextLinkParentPropertyPath'))) : String(param('nextLinkParentPropertyPath')).split('.')) : []);
      const link = (holder as Json | undefined)?.[String(param('nextLinkPropertyName'))];
      if (typeof link !== 'string' || !link.startsWith(`${CONNECTOR_BASE}/`)) hold([i], opId, { check: 'response', detail: `next link ${JSON.stringify(link)} is not on the connector (${CONNECTOR_BASE})` });
    }
    if (i.templateId === 'setheader' && (i.section === 'response' || (i.section === 'failure' && status >= 400))) {
      const name = String(param('name')).toLowerCase();
      if (res.headers[name] === undefined) hold([i], opId, { check: 'response', place: name, detail: `the flow's answer has no header ${name}` });
    }
    if (i.templateId === 'setvaluefromurl') {
      const target = String(param('parameterTemplate'));
      const m = /^@(headers|queryParameters)\('([^']+)'\)$/.exec(target.trim());
      if (m && i.section === 'request') {
        const got = m[1] === 'headers' ? sent.headers[m[2]!.toLowerCase()] : new URL(sent.url).searchParams.get(m[2]!);
        if (got !== 'value-from-url') hold([i], opId, { check: m[1] === 'headers' ? 'header' : 'query', place: m[2], detail: `${m[2]} is ${JSON.stringify(got)}, expected the value read from the URL ('value-from-url')` });
      }
      if (m && i.section === 'response' && res.headers[m[2]!.toLowerCase()] !== 'value-from-url') hold([i], opId, { check: 'response', place: m[2], detail: `the answer's header ${m[2]} is ${JSON.stringify(res.headers[m[2]!.toLowerCase()])}` });
    }
    if (BODY_TEMPLATES.has(i.templateId) && status < 400) {
      const holderBody = i.section === 'response' ? res.body : sent.body;
      const text = JSON.stringify(holderBody ?? null);
      if (UNEVALUATED.test(text)) hold([i], opId, { check: 'body', detail: `the ${i.section} body holds an expression: ${text.slice(0, 200)}` });
      // Whether it wrote its target is checked with the instance alone (checkBodyTemplateAlone):
      // later templates may reshape what it wrote (Planner converts arrays it has just edited).
    }
  }
}

function inputsBody(op: Operation, inputs: Record<string, unknown>): unknown {
  const b = op.parameters.find((p) => p.in === 'body');
  return b ? inputs[b.name] : undefined;
}

/** A body template run alone on an operation: its target must be written when its source exists. */
async function checkBodyTemplateAlone(definition: Json, properties: Json, i: Instance, opId: string, uses: Map<string, StringUse>, report: (a: Anomaly) => void): Promise<void> {
  const raw = (((properties.properties ?? {}) as Json).policyTemplateInstances ?? []) as unknown[];
  const pkg = parsePackage(definition, { ...properties, properties: { ...((properties.properties ?? {}) as Json), policyTemplateInstances: [raw[i.index]] } });
  const op = pkg.operations.get(opId)!;
  const gen = connectionValues(pkg, uses);
  const { origin, basePath } = swaggerOrigin(pkg);
  const answer = answerBody(pkg, op, [i], `${origin}${basePath}`);
  const backend = recordingBackend(() => ({ body: structuredClone(answer) }));
  const conn = new ConnectorRuntime(pkg).connect({ backendBaseUrl: `${origin}${basePath}`, token: gen.token, connectionParameters: gen.connectionParameters, callLimit: false, fetch: backend.fetch, requestId: () => 'corpus-request' });
  const inputs = operationInputs(pkg, op, uses);
  let res;
  try {
    res = await conn.invoke(opId, inputs);
  } catch (err) {
    return report({ check: 'run', detail: `alone, the call was refused: ${(err as Error).message}` });
  }
  const sent = backend.sent[backend.sent.length - 1];
  if (!sent) return report({ check: 'run', detail: `alone, nothing reached the backend (status ${res.status}: ${JSON.stringify(res.body).slice(0, 200)})` });
  const written = i.section === 'response' ? bodyTargetWritten(i, res.body, answer) : bodyTargetWritten(i, sent.body, inputsBody(op, inputs));
  if (written) report({ check: 'body', detail: written });
}

/** For a body template whose source exists, whether its target was written (undefined: fine). */
function bodyTargetWritten(i: Instance, body: unknown, before: unknown): string | undefined {
  const param = (k: string) => i.params[`${P}${k}`];
  if (i.templateId === 'moveproperties') return undefined;
  if (i.templateId === 'setproperty') {
    const parent = pathOf(String(param('newPropertyParentPathTemplate')).replace(/^body\(/, '@body('));
    const sub = String(param('newPropertySubPathTemplate'));
    const subPath = sub.startsWith('[') ? pathOf(`@body()${sub}`) : sub.split('.');
    const holder = walk(body, parent);
    const holders = (Array.isArray(holder) ? holder : [holder]).filter((h) => h !== null && typeof h === 'object');
    return holders.every((h) => walk(h, subPath) !== undefined) ? undefined : `setproperty did not write ${sub} under ${String(param('newPropertyParentPathTemplate'))}`;
  }
  const parent = pathOf(String(param('propertyParentPath')));
  const subRaw = String(param('propertySubPath') ?? '');
  const sub = subRaw && subRaw !== 'null' ? (subRaw.startsWith('[') ? pathOf(`@body()${subRaw}`) : subRaw.split('.')) : [];
  const source = before ?? body;
  const srcHolder = walk(source, parent);
  const items = sub.length ? (Array.isArray(srcHolder) ? srcHolder : [srcHolder]) : [srcHolder];
  if (!items.some((it) => walk(it, sub) !== undefined)) return undefined; // nothing to transform
  const target = String(param('newPropertyPath'));
  if (target.startsWith('@item()')) {
    const tPath = pathOf(target.replace(/^@item\(\)/, '@body()'));
    const outHolder = walk(body, parent);
    const outItems = Array.isArray(outHolder) ? outHolder : [outHolder];
    return outItems.some((it) => walk(it, tPath) !== undefined) ? undefined : `${i.templateId} did not write ${target}`;
  }
  const tPath = target.startsWith('@') || target.startsWith('body(') ? pathOf(target) : [...parent, ...target.split('.')];
  return walk(body, tPath) !== undefined ? undefined : `${i.templateId} did not write ${target}`;
}

/**
 * A polling trigger instance: two polls (the first sets the state), each answered with the
 * operation's schema and an item at triggerDataPath; the second poll must carry every
 * triggerConfig query value, evaluated (no expression left, not empty).
 */
async function checkPollingTrigger(pkg: ConnectorPackage, opId: string, i: Instance, gen: Generated, uses: Map<string, StringUse>, backendBase: string, report: (a: Anomaly) => void): Promise<void> {
  const op = pkg.operations.get(opId)!;
  const on = [i];
  const answer = answerBody(pkg, op, on, backendBase);
  const backend = recordingBackend(() => ({ body: structuredClone(answer) }));
  try {
    const conn = new ConnectorRuntime(pkg).connect({ backendBaseUrl: backendBase, connectorBaseUrl: CONNECTOR_BASE, token: gen.token, connectionParameters: gen.connectionParameters, callLimit: false, fetch: backend.fetch, requestId: () => 'corpus-request' });
    const trigger = new PollingTrigger(conn, opId, operationInputs(pkg, op, uses));
    await trigger.poll();
    await trigger.poll();
  } catch (err) {
    report({ check: 'trigger', detail: `the trigger's polls failed: ${(err as Error).message}` });
    return;
  }
  const second = backend.sent[backend.sent.length - 1];
  if (!second) return report({ check: 'trigger', detail: 'the second poll sent nothing' });
  for (const a of unevaluatedExpressions(second)) report(a);
  const url = new URL(second.url);
  for (const name of Object.keys((i.params[`${P}triggerConfig`] ?? {}) as Json)) {
    if (name === 'x-ms-triggerConfig-nextLink') continue;
    const v = url.searchParams.get(name);
    if (!v) report({ check: 'trigger', place: name, detail: `the second poll's query ${name} is ${JSON.stringify(v)}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Aggregation

export interface TemplateFigures {
  instances: number;
  loaded: number;
  applied: number;
}

export function figuresByTemplate(results: PackageResult[]): Record<string, TemplateFigures> {
  const out: Record<string, TemplateFigures> = {};
  for (const r of results) {
    for (const i of r.instances) {
      const f = (out[i.templateId || '(no templateId)'] ??= { instances: 0, loaded: 0, applied: 0 });
      f.instances++;
      if (i.loaded) f.loaded++;
      if (i.loaded && i.anomalies.length === 0) f.applied++;
    }
  }
  return out;
}

/** One line per instance not applied without anomaly: package, policy, template, first cause. */
export function exceptions(results: PackageResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const i of r.instances) {
      if (!i.loaded) lines.push(`${r.name}: policy '${i.title}' (${i.templateId}): not loaded: ${i.refusal}`);
      else if (i.anomalies.length) {
        const causes = [...new Set(i.anomalies.map((a) => `${a.check}: ${a.detail}`))];
        lines.push(`${r.name}: policy '${i.title}' (${i.templateId}): ${i.anomalies.length} anomalies on ${new Set(i.anomalies.map((a) => a.operation)).size} operation(s); ${causes[0]}${causes.length > 1 ? ` (+${causes.length - 1} more kinds)` : ''}`);
      }
    }
  }
  return lines;
}
