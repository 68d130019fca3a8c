/**
 * Turns a flow action's inputs into the request the connector sends, as the designer and the
 * platform do: required inputs enforced, types checked, internal parameters and internal body
 * properties filled from their defaults, path values encoded per x-ms-url-encoding.
 */
import { isDeepStrictEqual } from 'node:util';
import { resolveRef, type ConnectorPackage, type Json, type Operation, type Parameter } from './package.js';
import { fillPath, HEADER_NAME, type OutgoingRequest } from './policies.js';

/** Refused before anything is sent, as the designer refuses to save the action. */
export class FlowInputError extends Error {
  constructor(
    readonly operationId: string,
    readonly parameter: string,
    problem: string,
  ) {
    super(`${operationId}: input '${parameter}' ${problem}`);
    this.name = 'FlowInputError';
  }
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function fits(expected: string | undefined, value: unknown): boolean {
  if (!expected) return true;
  // A file input carries the file's content (Swagger 2.0 `type: file`, formData only).
  if (expected === 'file') return typeof value === 'string';
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** Refuses a value that is not of the declared type, naming both. */
function checkType(op: string, where: string, expected: string | undefined, value: unknown): void {
  if (!fits(expected, value)) throw new FlowInputError(op, where, `must be ${expected === 'array' || expected === 'integer' ? 'an' : 'a'} ${expected}, got ${typeOf(value)}`);
}

/**
 * Refuses a body value outside its own schema's constraints (enum, length, pattern, item count,
 * range), naming the input and the constraint. **Assumption**: no docs page says which of these
 * the platform enforces; the runtime holds a flow to the action's declared contract, which for
 * an action only the connector serves is stricter than the backend's (one registration per call,
 * paths under /registrations/ only).
 */
function checkConstraints(op: string, where: string, schema: Json, value: unknown): void {
  const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
  const refuse = (problem: string): never => {
    throw new FlowInputError(op, where, `${problem}, got ${Array.isArray(value) ? `${value.length}` : show(value)}`);
  };
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  if (Array.isArray(schema.enum)) {
    // An enum member is a value the designer offers in its list, so it goes out whatever the
    // schema's other keywords say, and a member written as text matches the value it spells:
    // certified packages contradict their own enums (corpus Verified: `language` lists 'nb-NO'
    // under the pattern ^[a-z]{2}_[A-Z]{2}$; TPCPortal: a boolean `isApproved` with the enum
    // 'true', 'false'), and holding both would leave those inputs no value at all. The declared
    // type is still checked (shapeBody).
    const scalarText = (v: unknown) => (v !== null && typeof v !== 'object' ? String(v) : undefined);
    if (schema.enum.some((allowed) => isDeepStrictEqual(allowed, value) || (scalarText(allowed) !== undefined && scalarText(allowed) === scalarText(value)))) return;
    refuse(`must be one of ${schema.enum.map(show).join(', ')}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) refuse(`must hold at least ${plural(schema.minItems, 'item')}`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) refuse(`must hold at most ${plural(schema.maxItems, 'item')}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) refuse(`must be at least ${plural(schema.minLength, 'character')} long`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) refuse(`must be at most ${plural(schema.maxLength, 'character')} long`);
    let pattern: RegExp | undefined;
    try {
      if (typeof schema.pattern === 'string') pattern = new RegExp(schema.pattern);
    } catch {
      // Assumption: a pattern JavaScript cannot compile (e.g. .NET's inline (?i)) is not checked.
    }
    if (pattern && !pattern.test(value)) refuse(`must match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    // Swagger 2.0: exclusiveMinimum and exclusiveMaximum are booleans that qualify minimum and maximum.
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
    if (typeof minimum === 'number' && (exclusiveMinimum === true ? value <= minimum : value < minimum)) refuse(`must be ${exclusiveMinimum === true ? 'greater than' : 'at least'} ${minimum}`);
    if (typeof maximum === 'number' && (exclusiveMaximum === true ? value >= maximum : value > maximum)) refuse(`must be ${exclusiveMaximum === true ? 'less than' : 'at most'} ${maximum}`);
  }
}

/**
 * Checks a body value against its schema (types, required properties) and fills internal
 * properties that have a default. Returns the filled copy.
 */
function shapeBody(pkg: ConnectorPackage, op: string, schemaNode: unknown, value: unknown, where: string, notificationUrl: string, depth = 0): unknown {
  if (depth > 64 || schemaNode === undefined) return value;
  const schema = resolveRef<Json>(pkg.definition, schemaNode);
  const type = typeof schema.type === 'string' ? schema.type : schema.properties ? 'object' : undefined;
  // x-nullable (AutoRest's Swagger 2.0 extension, which the platform reads): null is a value of the type.
  if (value === undefined || (value === null && schema['x-nullable'] === true)) return value;
  checkConstraints(op, where, schema, value);
  checkType(op, where, type, value);
  if (type === 'array' && Array.isArray(value)) return value.map((item, i) => shapeBody(pkg, op, schema.items, item, `${where}[${i}]`, notificationUrl, depth + 1));
  if (type === 'object' && value && typeof value === 'object') {
    const out: Json = { ...(value as Json) };
    const props = (schema.properties ?? {}) as Record<string, unknown>;
    for (const [name, propNode] of Object.entries(props)) {
      const prop = resolveRef<Json>(pkg.definition, propNode);
      // Assumption: a null default is no default (certified Motimate declares `"default": null` on
      // an internal string property).
      if (out[name] === undefined && prop['x-ms-visibility'] === 'internal' && prop.default !== undefined && prop.default !== null) out[name] = prop.default;
      // x-ms-notification-url (docs, "OpenAPI extensions"): the platform supplies the flow's
      // callback URL for a webhook trigger's registration.
      if (out[name] === undefined && prop['x-ms-notification-url'] === true) out[name] = notificationUrl;
      if (out[name] !== undefined) out[name] = shapeBody(pkg, op, propNode, out[name], `${where}.${name}`, notificationUrl, depth + 1);
    }
    for (const name of (schema.required ?? []) as string[]) {
      if (out[name] === undefined) throw new FlowInputError(op, `${where}.${name}`, 'is required');
    }
    return out;
  }
  return value;
}

function encodePath(value: string, encoding: Parameter['urlEncoding']): string {
  const once = encodeURIComponent(value);
  return encoding === 'double' ? encodeURIComponent(once) : once;
}

export type FlowInputs = Record<string, unknown>;

/** The request before policies: what the swagger alone says to send. */
export function buildRequest(pkg: ConnectorPackage, op: Operation, inputs: FlowInputs, baseUrl: string, notificationUrl: string): OutgoingRequest {
  const known = new Set(op.parameters.map((p) => p.name));
  for (const name of Object.keys(inputs)) {
    if (!known.has(name)) throw new FlowInputError(op.operationId, name, `is not a parameter of this operation (it has: ${[...known].join(', ') || 'none'})`);
  }
  const req: OutgoingRequest = { method: op.method, path: op.path, baseUrl, query: [], headers: {}, body: undefined, pathParams: {} };
  for (const p of op.parameters) {
    // Internal parameters are not shown in the designer: they always carry their default.
    let value = p.internal ? (p.default ?? inputs[p.name]) : inputs[p.name];
    if (value === undefined || value === '') {
      if (p.required && !p.internal) throw new FlowInputError(op.operationId, p.name, 'is required');
      if (value === undefined) continue;
    }
    if (p.in === 'body') {
      req.body = shapeBody(pkg, op.operationId, p.schema, value, p.name, notificationUrl);
      continue;
    }
    // Assumption: an internal parameter's default goes out as declared, unchecked: the user never
    // enters it (certified Impexium declares an integer path parameter with the default "1").
    if (!(p.internal && p.default !== undefined)) checkType(op.operationId, p.name, p.type, value);
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (p.in === 'path') req.pathParams[p.name] = encodePath(text, p.urlEncoding);
    else if (p.in === 'query') req.query.push([p.name, text]);
    else if (p.in === 'header') {
      if (!HEADER_NAME.test(p.name)) throw new FlowInputError(op.operationId, p.name, 'is a header parameter whose name is not a valid HTTP header name (RFC 9110 token), so it cannot be sent');
      req.headers[p.name.toLowerCase()] = text;
    } else if (p.in === 'formData') {
      // Swagger 2.0: formData parameters go as multipart/form-data when the operation consumes
      // it or sends a file, else as application/x-www-form-urlencoded.
      req.form ??= { encoding: op.consumes.includes('multipart/form-data') || op.parameters.some((x) => x.in === 'formData' && x.type === 'file') ? 'multipart' : 'urlencoded', fields: [] };
      req.form.fields.push({ name: p.name, value: text, file: p.type === 'file' });
    } else throw new FlowInputError(op.operationId, p.name, `is a ${p.in} parameter, which this runtime does not send`);
  }
  req.path = fillPath(op.path, req.pathParams);
  return req;
}

/** A form's fields as a fetch body (fetch sets the content type, with the multipart boundary). */
export function formBody(form: NonNullable<OutgoingRequest['form']>): FormData | URLSearchParams {
  if (form.encoding === 'urlencoded') return new URLSearchParams(form.fields.map((f) => [f.name, f.value]));
  const data = new FormData();
  for (const f of form.fields) {
    if (f.file) data.append(f.name, new Blob([f.value]), f.name);
    else data.append(f.name, f.value);
  }
  return data;
}
