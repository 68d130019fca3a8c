// Finds every example in a Swagger 2.0 document and validates it against the schema it
// illustrates. Examples are what a newcomer copies first (Redoc shows them next to each
// operation), so one that does not match its schema teaches the wrong payload.
//
// Example locations covered (Swagger 2.0 and the x-ms extension Power Platform tooling knows):
//   schema.example                              any schema node, definitions and inline schemas
//   responses[code].examples[mime]              validated against responses[code].schema
//   parameter.x-example                         non-body parameters, against type/format/enum/...
//   operation.x-ms-examples[name].parameters    body parameter against its schema, others by type
//   operation.x-ms-examples[name].responses[code].body
import AjvDraft04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Both are CommonJS with the export on `.default` as far as NodeNext typing is concerned.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface FoundExample {
  /** Where the example value sits in the document, as a JSON path ($.paths["/x"].get...). */
  path: string;
  value: Json;
  /** The schema the example must satisfy (for non-body parameters: built from the parameter's fields). */
  schema: JsonObject | undefined;
}

export interface ExampleProblem {
  /** JSON path of the offending value: the example's location plus the path inside it. */
  path: string;
  message: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// Keywords Swagger 2.0 allows in a Schema Object that JSON Schema draft-04 does not define.
const SWAGGER_SCHEMA_KEYWORDS = ['discriminator', 'readOnly', 'xml', 'externalDocs', 'example'];
// Parameter fields that carry JSON-Schema meaning for non-body parameters.
const PARAMETER_SCHEMA_FIELDS = [
  'type', 'format', 'items', 'enum', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf',
];

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export function jsonPath(segments: ReadonlyArray<string | number>): string {
  return segments
    .map((s) => (typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
    .reduce((acc, part) => acc + part, '$');
}

const isJsonMime = (mime: string): boolean => /^application\/([\w.+-]+\+)?json\b/i.test(mime) || mime === '*/*';

/** Walks a schema and its sub-schemas, reporting each `example` found. */
function collectSchemaExamples(schema: Json | undefined, at: Array<string | number>, out: FoundExample[]): void {
  if (!isObject(schema)) return;
  if ('example' in schema) out.push({ path: jsonPath([...at, 'example']), value: schema.example ?? null, schema });
  for (const [key, sub] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
    collectSchemaExamples(sub, [...at, 'properties', key], out);
  }
  if (isObject(schema.items)) collectSchemaExamples(schema.items, [...at, 'items'], out);
  if (isObject(schema.additionalProperties)) collectSchemaExamples(schema.additionalProperties, [...at, 'additionalProperties'], out);
  if (Array.isArray(schema.allOf)) schema.allOf.forEach((sub, i) => collectSchemaExamples(sub, [...at, 'allOf', i], out));
}

/** Resolves a `{ $ref: '#/parameters/x' }` parameter to its definition and the pointer segments of it. */
function resolveParameter(spec: JsonObject, param: Json, at: Array<string | number>): { param: JsonObject; at: Array<string | number> } | undefined {
  if (!isObject(param)) return undefined;
  const ref = param.$ref;
  if (typeof ref !== 'string') return { param, at };
  const name = /^#\/parameters\/(.+)$/.exec(ref)?.[1];
  const target = name !== undefined && isObject(spec.parameters) ? spec.parameters[name] : undefined;
  return isObject(target) && name !== undefined ? { param: target, at: ['parameters', name] } : undefined;
}

function parameterSchema(param: JsonObject): JsonObject {
  return Object.fromEntries(PARAMETER_SCHEMA_FIELDS.filter((f) => f in param).map((f) => [f, param[f] as Json]));
}

interface OperationEntry {
  label: string;
  op: JsonObject;
  opAt: Array<string | number>;
  params: Array<{ param: JsonObject; at: Array<string | number> }>;
}

/** Each operation with its parameters (path-level ones included, $refs resolved). */
function operationsOf(spec: JsonObject): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, item] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opAt = ['paths', path, method];
      const params = [
        ...(Array.isArray(item.parameters) ? item.parameters.map((p, i) => [p, ['paths', path, 'parameters', i]] as const) : []),
        ...(Array.isArray(op.parameters) ? op.parameters.map((p, i) => [p, [...opAt, 'parameters', i]] as const) : []),
      ].flatMap(([p, at]) => resolveParameter(spec, p, [...at]) ?? []);
      out.push({ label: `${method.toUpperCase()} ${path} (${String(op.operationId)})`, op, opAt, params });
    }
  }
  return out;
}

/** Every example in the document, with the schema it must satisfy. */
export function findExamples(spec: JsonObject): FoundExample[] {
  const out: FoundExample[] = [];
  for (const [name, schema] of Object.entries(isObject(spec.definitions) ? spec.definitions : {})) {
    collectSchemaExamples(schema, ['definitions', name], out);
  }
  for (const [name, response] of Object.entries(isObject(spec.responses) ? spec.responses : {})) {
    collectResponseExamples(response, ['responses', name], out);
  }
  for (const { op, opAt, params } of operationsOf(spec)) {
    for (const { param, at } of params) {
      if (param.in === 'body') {
        collectSchemaExamples(param.schema, [...at, 'schema'], out);
        out.push(...bodyVendorExamples(param, at));
      } else if ('x-example' in param) {
        out.push({ path: jsonPath([...at, 'x-example']), value: param['x-example'] ?? null, schema: parameterSchema(param) });
      }
    }
    for (const [code, response] of Object.entries(isObject(op.responses) ? op.responses : {})) {
      collectResponseExamples(response, [...opAt, 'responses', code], out);
    }
    collectXmsExamples(op, opAt, params, out);
  }
  // A shared parameter (#/parameters/x) is reached once per operation using it: report it once.
  return out.filter((example, i) => out.findIndex((other) => other.path === example.path) === i);
}

/**
 * Request-body examples in the vendor extensions Redoc reads on a Swagger 2.0 body parameter:
 * `x-example: {mime: value}` and `x-examples: {mime: {name: {summary, value}}}`.
 */
function bodyVendorExamples(param: JsonObject, at: Array<string | number>): FoundExample[] {
  const schema = isObject(param.schema) ? param.schema : undefined;
  const out: FoundExample[] = [];
  for (const [mime, value] of Object.entries(isObject(param['x-example']) ? param['x-example'] : {})) {
    if (isJsonMime(mime)) out.push({ path: jsonPath([...at, 'x-example', mime]), value, schema });
  }
  for (const [mime, named] of Object.entries(isObject(param['x-examples']) ? param['x-examples'] : {})) {
    if (!isJsonMime(mime) || !isObject(named)) continue;
    for (const [name, example] of Object.entries(named)) {
      if (isObject(example) && 'value' in example) {
        out.push({ path: jsonPath([...at, 'x-examples', mime, name, 'value']), value: example.value ?? null, schema });
      }
    }
  }
  return out;
}

function collectResponseExamples(response: Json, at: Array<string | number>, out: FoundExample[]): void {
  if (!isObject(response)) return;
  collectSchemaExamples(response.schema, [...at, 'schema'], out);
  for (const [mime, value] of Object.entries(isObject(response.examples) ? response.examples : {})) {
    if (!isJsonMime(mime)) continue;
    out.push({ path: jsonPath([...at, 'examples', mime]), value, schema: isObject(response.schema) ? response.schema : undefined });
  }
}

function collectXmsExamples(
  op: JsonObject,
  opAt: Array<string | number>,
  params: Array<{ param: JsonObject; at: Array<string | number> }>,
  out: FoundExample[],
): void {
  const examples = op['x-ms-examples'];
  if (!isObject(examples)) return;
  for (const [name, example] of Object.entries(examples)) {
    if (!isObject(example)) continue;
    const exAt = [...opAt, 'x-ms-examples', name];
    for (const [paramName, value] of Object.entries(isObject(example.parameters) ? example.parameters : {})) {
      const match = params.find(({ param }) => param.name === paramName);
      const schema = !match ? undefined : match.param.in === 'body' ? match.param.schema : parameterSchema(match.param);
      out.push({ path: jsonPath([...exAt, 'parameters', paramName]), value, schema: isObject(schema) ? schema : undefined });
    }
    const responses = isObject(op.responses) ? op.responses : {};
    for (const [code, answer] of Object.entries(isObject(example.responses) ? example.responses : {})) {
      if (!isObject(answer) || !('body' in answer)) continue;
      const declared = responses[code];
      out.push({
        path: jsonPath([...exAt, 'responses', code, 'body']),
        value: answer.body ?? null,
        schema: isObject(declared) && isObject(declared.schema) ? declared.schema : undefined,
      });
    }
  }
}

/** Every `x-…` key used anywhere, so Ajv's strict mode accepts vendor extensions and nothing else unknown. */
function vendorKeywords(value: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => vendorKeywords(v, found));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('x-')) found.add(k);
      vendorKeywords(v, found);
    }
  }
  return found;
}

// Base URI under which the document's definitions are registered; schema refs are rewritten to it.
const SPEC_ID = 'https://spec.invalid/referrals.swagger.json';

/** Copy of a schema whose local refs ("#/definitions/X") point into the registered definitions. */
function rebase(value: Json): Json {
  if (Array.isArray(value)) return value.map(rebase);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rebase(v)]),
  );
}

function makeAjv(spec: JsonObject): InstanceType<typeof AjvDraft04> {
  // Swagger 2.0 schemas are draft-04 (boolean exclusiveMinimum, …), hence ajv-draft-04.
  const ajv = new AjvDraft04({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, validateSchema: false });
  addFormats(ajv);
  // Formats Power Platform accepts beyond JSON Schema's: date-time without a zone, and html text.
  ajv.addFormat('date-no-tz', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/);
  ajv.addFormat('html', true);
  ajv.addVocabulary([...SWAGGER_SCHEMA_KEYWORDS, ...vendorKeywords(spec)].filter((k) => !ajv.getKeyword(k)));
  // Only the definitions are registered: the document itself is not a schema (strict mode would
  // reject "swagger", "paths", ...), and schema refs in Swagger 2.0 point at definitions.
  ajv.addSchema({ definitions: rebase(spec.definitions ?? {}) }, SPEC_ID);
  return ajv;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `has unknown property ${JSON.stringify(error.params.additionalProperty)}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}

function instanceSegments(instancePath: string): Array<string | number> {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Validates every example of the document; returns one problem per failing value, none when all match. */
export function checkExamples(spec: JsonObject): ExampleProblem[] {
  const ajv = makeAjv(spec);
  const problems: ExampleProblem[] = [];
  const compiled = new WeakMap<JsonObject, ValidateFunction>();
  for (const example of findExamples(spec)) {
    const { schema } = example;
    if (!schema) {
      problems.push({ path: example.path, message: 'example has no schema to validate against (declare the schema or the parameter it illustrates)' });
      continue;
    }
    const validate = compiled.get(schema) ?? ajv.compile(rebase(schema) as object);
    compiled.set(schema, validate);
    if (validate(example.value)) continue;
    for (const error of validate.errors ?? []) {
      // example.path is already a JSON path; append the location inside the example value.
      const inside = jsonPath(instanceSegments(error.instancePath)).slice(1);
      problems.push({ path: `${example.path}${inside}`, message: describe(error) });
    }
  }
  return problems;
}

/** One line per problem, the form used in test failure messages. */
export function formatProblems(problems: ExampleProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

/** Follows `#/definitions/X` refs (and nothing else) to the schema they name. */
export function deref(spec: JsonObject, schema: Json | undefined, depth = 0): JsonObject | undefined {
  if (!isObject(schema)) return undefined;
  const name = typeof schema.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1] : undefined;
  if (name === undefined || depth > 32) return schema;
  return deref(spec, isObject(spec.definitions) ? spec.definitions[name] : undefined, depth + 1);
}

export interface RequestBodyExample {
  /** "POST /referrals (CreateReferral)" */
  operation: string;
  path: string;
  value: Json;
  schema: JsonObject;
}

/**
 * The request payload shown for each operation with a body: its own examples (x-example,
 * x-examples, x-ms-examples or an example on the body schema), else the example of the
 * definition the body references, which is what Redoc then displays.
 */
export function requestBodyExamples(spec: JsonObject): RequestBodyExample[] {
  const out: RequestBodyExample[] = [];
  for (const { label, op, params } of operationsOf(spec)) {
    const body = params.find(({ param }) => param.in === 'body');
    const schema = body && isObject(body.param.schema) ? body.param.schema : undefined;
    if (!body || !schema) continue;
    const own: FoundExample[] = [...bodyVendorExamples(body.param, body.at)];
    if ('example' in schema) own.push({ path: jsonPath([...body.at, 'schema', 'example']), value: schema.example ?? null, schema });
    const xms = isObject(op['x-ms-examples']) ? op['x-ms-examples'] : {};
    for (const [name, ex] of Object.entries(xms)) {
      if (isObject(ex) && isObject(ex.parameters) && String(body.param.name) in ex.parameters) {
        own.push({ path: jsonPath([...(body.at.slice(0, -2)), 'x-ms-examples', name, 'parameters', String(body.param.name)]), value: ex.parameters[String(body.param.name)] ?? null, schema });
      }
    }
    if (own.length) {
      out.push(...own.map(({ path, value }) => ({ operation: label, path, value, schema })));
      continue;
    }
    const target = deref(spec, schema);
    const ref = typeof schema.$ref === 'string' ? schema.$ref.slice(2).split('/') : undefined;
    if (target && ref && 'example' in target) out.push({ operation: label, path: jsonPath([...ref, 'example']), value: target.example ?? null, schema });
  }
  return out;
}

/** Properties of `schema` (its own and those of allOf members). */
function propertiesOf(spec: JsonObject, schema: JsonObject | undefined): JsonObject {
  if (!schema) return {};
  const own = isObject(schema.properties) ? schema.properties : {};
  const inherited = Array.isArray(schema.allOf) ? schema.allOf.map((sub) => propertiesOf(spec, deref(spec, sub))) : [];
  return Object.assign({}, ...inherited, own) as JsonObject;
}

/**
 * Server-owned (readOnly) fields inside request-body examples. The service ignores or rejects
 * them, so an example that sends them teaches a payload no client should build.
 */
export function readOnlyProblems(spec: JsonObject): ExampleProblem[] {
  const problems: ExampleProblem[] = [];
  const walk = (value: Json, schemaIn: Json | undefined, at: string) => {
    const schema = deref(spec, schemaIn);
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, schema?.items, `${at}[${i}]`));
      return;
    }
    if (!isObject(value)) return;
    const props = propertiesOf(spec, schema);
    for (const [key, sub] of Object.entries(value)) {
      const at2 = `${at}${jsonPath([key]).slice(1)}`;
      const propSchema = props[key];
      if (isObject(propSchema) && (propSchema.readOnly === true || deref(spec, propSchema)?.readOnly === true)) {
        problems.push({ path: at2, message: 'is read-only (set by the service) and must not appear in a request example' });
      } else walk(sub, propSchema, at2);
    }
  };
  for (const example of requestBodyExamples(spec)) walk(example.value, example.schema, example.path);
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path) === i);
}
