/**
 * ajv validators built from the spec, compiled once on first use.
 *
 * Swagger 2.0 schema objects are JSON Schema draft-04 plus a few extensions; ajv (draft-07
 * mode, strict off so `x-ms-*`, `example` and `readOnly` pass through) validates them once two
 * things are adapted in a private copy of the spec:
 * - `x-nullable: true` becomes `type: [T, 'null']` (and adds null to an `enum`), since real
 *   responses carry null for optional fields;
 * - local `#/definitions/...` references become absolute, so any schema fragment of the spec
 *   (a response schema, a body parameter) compiles on its own against the registered document.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { declaredResponse, operations, schemaModel, spec } from './spec.js';
import type { SchemaModel, SchemaNode } from './schema-model.js';

const DOC_ID = 'urn:partner-center-referrals:swagger';

function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'x-ms-enum-values') continue;
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? DOC_ID + value : adapt(value);
  }
  if (out['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

/** Drops every `required` list: the shape of `$select` projections, which omit fields. */
function withoutRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'required' && Array.isArray(v))).map(([k, v]) => [k, withoutRequired(v)]));
}

type Mode = 'full' | 'partial';
const instances = new Map<Mode, Ajv>();
const cache = new Map<string, ValidateFunction>();

function ajv(mode: Mode): Ajv {
  let instance = instances.get(mode);
  if (!instance) {
    instance = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    // CJS interop: `.default` is the plugin both under Node's ESM loader and bundlers.
    addFormats.default(instance);
    const adapted = adapt(spec) as Record<string, unknown>;
    instance.addSchema({ ...(mode === 'partial' ? (withoutRequired(adapted) as object) : adapted), $id: DOC_ID });
    instances.set(mode, instance);
  }
  return instance;
}

/** Compiles (once) the schema found at a JSON pointer of the spec. */
function validatorAt(pointer: string, mode: Mode = 'full'): ValidateFunction {
  const key = `${mode} ${pointer}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = ajv(mode).compile({ $ref: `${DOC_ID}#${pointer}` });
    cache.set(key, fn);
  }
  return fn;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Turns ajv's first error into "where: what" (JSON Pointer, '' meaning the whole body). */
function describeError(error: ErrorObject | undefined, subject = 'body'): string {
  if (!error) return `${subject} is invalid`;
  const where = error.instancePath ? `${subject}${error.instancePath}` : subject;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where}: the required field '${String(params.missingProperty)}' is missing`;
    case 'type':
      return `${where}: must be of type ${String(params.type).replace(',', ' or ')}`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}`;
    case 'format':
      return `${where}: must be a valid ${String(params.format)}`;
    case 'minLength':
      return params.limit === 1 ? `${where}: must not be empty` : `${where}: must be at least ${String(params.limit)} characters long`;
    default:
      return `${where}: ${error.message ?? 'is invalid'}`;
  }
}

/** The body parameter schema of an operation, as a JSON pointer into the spec. */
function bodyPointer(operationId: string): string {
  const info = operations.get(operationId);
  if (!info) throw new Error(`Unknown operation ${operationId}`);
  const index = (info.operation.parameters ?? []).findIndex((p) => p.in === 'body');
  if (index < 0) throw new Error(`${operationId} has no body parameter`);
  const method = info.method.toLowerCase();
  return `/paths/${escapePointer(info.path)}/${method}/parameters/${index}/schema`;
}

/** The schema keywords of a Swagger 2.0 non-body parameter that constrain its value. */
const VALUE_KEYWORDS = ['type', 'format', 'enum', 'minLength', 'maxLength', 'pattern'] as const;

const headerCache = new Map<string, Map<string, { name: string; check: ValidateFunction }>>();

/** The header parameters an operation declares (`#/parameters/...` references followed), by lower-case name. */
function declaredHeaders(operationId: string): Map<string, { name: string; check: ValidateFunction }> {
  const key = `headers ${operationId}`;
  let found = headerCache.get(key);
  if (!found) {
    const info = operations.get(operationId);
    if (!info) throw new Error(`Unknown operation ${operationId}`);
    found = new Map();
    // MS-CorrelationId and MS-RequestId are Partner Center's tracing and idempotency headers on
    // every call, so their declared format holds wherever they are sent, declared there or not
    // (a connector action may carry one onto an operation that does not declare it).
    const apiWide = Object.values(spec.parameters ?? {}).filter((p) => p.in === 'header' && /^MS-/i.test(String(p.name)));
    for (const raw of [...apiWide, ...(info.operation.parameters ?? [])]) {
      const ref = typeof raw.$ref === 'string' ? raw.$ref.replace('#/parameters/', '') : undefined;
      const param = (ref ? spec.parameters?.[ref] : raw) ?? {};
      if (param.in !== 'header') continue;
      const schema = Object.fromEntries(VALUE_KEYWORDS.filter((k) => param[k] !== undefined).map((k) => [k, param[k]]));
      found.set(String(param.name).toLowerCase(), { name: String(param.name), check: ajv('full').compile(schema) });
    }
    headerCache.set(key, found);
  }
  return found;
}

/**
 * Checks the headers an operation declares against their declared type, format, enum and
 * length, as the spec states them (`headers` has lower-case names; absent ones are not
 * checked: requiredness is the operation's business). Undefined when valid.
 */
export function checkHeaders(operationId: string, headers: Record<string, string>): string | undefined {
  for (const [lower, { name, check }] of declaredHeaders(operationId)) {
    const value = headers[lower];
    if (value !== undefined && !check(value)) return `${describeError(check.errors?.[0], `header ${name}`)}, got '${value}'`;
  }
  return undefined;
}

/** Validates a request body against the operation's body schema; undefined when valid. */
export function checkRequestBody(operationId: string, body: unknown): string | undefined {
  const fn = validatorAt(bodyPointer(operationId));
  return fn(body) ? undefined : describeError(fn.errors?.[0]);
}

const nodeValidators = new WeakMap<SchemaNode, ValidateFunction>();

/** Validates a value against a schema node of the spec (e.g. the field a patch operation writes). */
export function checkValue(node: SchemaNode, value: unknown, subject = 'value'): string | undefined {
  let fn = nodeValidators.get(node);
  if (!fn) {
    fn = ajv('full').compile(adapt(node) as object);
    nodeValidators.set(node, fn);
  }
  return fn(value) ? undefined : describeError(fn.errors?.[0], subject);
}

/** Validates a value against a spec definition (e.g. a referral after a patch). */
export function checkDefinition(name: string, value: unknown, subject = name): string | undefined {
  return findInvalid(name, value, subject)?.problem;
}

/** Like `checkDefinition`, with the JSON Pointer of the offending value (ajv's instancePath). */
export function findInvalid(name: string, value: unknown, subject = name): { pointer: string; problem: string } | undefined {
  const fn = validatorAt(`/definitions/${escapePointer(name)}`);
  if (fn(value)) return undefined;
  const error = fn.errors?.[0];
  return { pointer: error?.instancePath ?? '', problem: describeError(error, subject) };
}

/**
 * Copies the client-writable part of a value: read-only fields (server-owned) and fields the
 * schema does not declare are dropped, as the service's model binding does.
 */
export function writableCopy(value: unknown, schema: SchemaNode, model: SchemaModel = schemaModel): unknown {
  const node = model.resolve(schema);
  const kind = model.kind(node);
  if (kind === 'array' && Array.isArray(value)) {
    const items = model.items(node);
    return value.map((v) => writableCopy(v, items, model));
  }
  if (kind === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const prop = model.property(node, key);
      if (!prop || prop.readOnly) continue;
      out[key] = writableCopy(v, prop, model);
    }
    return out;
  }
  return structuredClone(value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The other half of `writableCopy`: puts the read-only (server-owned) fields of `stored` back
 * into `next`, at every depth of nested objects, recreating an object that `next` lacks when
 * it held some (`inviteContext/invitedMpnId` survives a PUT without `inviteContext`). A
 * client's write can then never drop what only the service sets. `except` names top-level
 * fields the caller handles itself. Changes and returns `next`.
 */
export function keepServerOwned(
  next: Record<string, unknown>,
  stored: Record<string, unknown>,
  schema: SchemaNode,
  model: SchemaModel = schemaModel,
  except: readonly string[] = [],
): Record<string, unknown> {
  for (const name of model.propertyNames(schema)) {
    if (except.includes(name) || !Object.prototype.hasOwnProperty.call(stored, name)) continue;
    const prop = model.property(schema, name)!;
    const value = stored[name];
    if (prop.readOnly) {
      next[name] = structuredClone(value);
    } else if (model.kind(prop) === 'object' && isObject(value)) {
      if (isObject(next[name])) {
        keepServerOwned(next[name], value, prop, model);
      } else if (next[name] === undefined || next[name] === null) {
        const kept = keepServerOwned({}, value, prop, model);
        if (Object.keys(kept).length > 0) next[name] = kept;
      }
    }
  }
  return next;
}

export interface ResponseCheck {
  operationId?: string;
  status: number;
  headers: Record<string, string>;
  body?: string;
  /**
   * The request had `$select`: items may omit fields the schema lists as required, since an
   * OData projection returns only the selected ones. Everything else is still checked.
   */
  partial?: boolean;
}

/**
 * Checks a response against what the spec declares for its operation and status: the status
 * is declared, the body matches the schema (or is absent when none is declared), declared
 * headers are present with the declared type. Without an operation (unknown path or method)
 * the body must be the Error definition. Returns the problems found (empty when it conforms).
 */
export function checkResponse(r: ResponseCheck): string[] {
  const problems: string[] = [];
  let schemaPointer: string | undefined;
  let headers: Record<string, SchemaNode> = {};
  if (r.operationId) {
    const info = operations.get(r.operationId);
    const declared = declaredResponse(r.operationId, r.status);
    if (!info || !declared) return [`${r.operationId} does not declare status ${r.status}`];
    const raw = info.operation.responses[String(r.status)]!;
    headers = declared.headers ?? {};
    if (declared.schema) {
      schemaPointer = raw.$ref
        ? `/responses/${escapePointer(raw.$ref.replace('#/responses/', ''))}/schema`
        : `/paths/${escapePointer(info.path)}/${info.method.toLowerCase()}/responses/${r.status}/schema`;
    }
  } else {
    schemaPointer = '/definitions/Error';
  }

  const text = r.body ?? '';
  if (!schemaPointer) {
    if (text.length > 0) problems.push(`status ${r.status} declares no body, but one was sent`);
  } else {
    const contentType = r.headers['content-type'] ?? '';
    if (!/^application\/json\b/.test(contentType)) problems.push(`content-type is '${contentType}', not application/json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push('the body is not JSON');
    }
    if (parsed !== undefined) {
      const fn = validatorAt(schemaPointer, r.partial ? 'partial' : 'full');
      if (!fn(parsed)) problems.push(describeError(fn.errors?.[0]));
    }
  }
  for (const [name, schema] of Object.entries(headers)) {
    const value = r.headers[name.toLowerCase()];
    if (value === undefined) {
      problems.push(`header ${name} is declared but missing`);
      continue;
    }
    if ((schema.type === 'integer' && !/^\d+$/.test(value)) || (schema.type === 'number' && Number.isNaN(Number(value)))) {
      problems.push(`header ${name} must be ${schema.type}, got '${value}'`);
    }
  }
  return problems;
}

/** Status codes the spec declares for an operation. */
export function declaredStatuses(operationId: string): number[] {
  const info = operations.get(operationId);
  return Object.keys(info?.operation.responses ?? {})
    .filter((s) => /^\d{3}$/.test(s))
    .map(Number);
}
