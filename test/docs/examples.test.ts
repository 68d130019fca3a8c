// The examples of the bundled spec are what Redoc shows next to every operation and what a
// newcomer copies first: each must validate against its schema, requests and responses alike,
// and a broken one must be reported where it is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExamples, deref, findExamples, formatProblems, jsonPath, readOnlyProblems, requestBodyExamples, type FoundExample } from './example-check.js';

type JsonObject = Record<string, any>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPEC_FILE = 'generated/referrals.swagger.json';
const spec: JsonObject = JSON.parse(readFileSync(join(ROOT, SPEC_FILE), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const operations = Object.entries(spec.paths as JsonObject).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as JsonObject, item: item as JsonObject })),
);

function parametersOf(item: JsonObject, op: JsonObject): JsonObject[] {
  return [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: JsonObject) => {
    const name = typeof p.$ref === 'string' ? /^#\/parameters\/(.+)$/.exec(p.$ref)?.[1] : undefined;
    return name === undefined ? p : spec.parameters[name];
  });
}

const hasSchemaExample = (schema: JsonObject | undefined): boolean => schema !== undefined && ('example' in schema || 'example' in (deref(spec, schema) ?? {}));

const examples = findExamples(spec);

describe(`examples of ${SPEC_FILE}`, () => {
  it('are present', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it('each validate against the schema they illustrate', () => {
    const problems = checkExamples(spec);
    expect(formatProblems(problems), `${problems.length} example value(s) do not match their schema`).toBe('');
  });

  it('cover the request body of every operation that takes one', () => {
    const covered = new Set(requestBodyExamples(spec).map((e) => e.operation));
    const missing = operations
      .filter(({ op, item }) => parametersOf(item, op).some((p) => p.in === 'body'))
      .map(({ path, method, op }) => `${method.toUpperCase()} ${path} (${op.operationId})`)
      .filter((label) => !covered.has(label));
    expect(missing, 'request bodies without an example').toEqual([]);
  });

  it('send no server-owned (readOnly) field in a request body', () => {
    const problems = readOnlyProblems(spec);
    expect(formatProblems(problems), 'request examples a client should not copy').toBe('');
  });

  it('cover every success response that has a body', () => {
    const missing = operations.flatMap(({ path, method, op }) =>
      Object.entries(op.responses as JsonObject)
        .filter(([code, response]) => /^2\d\d$/.test(code) && response.schema)
        .filter(([code, response]) => {
          const viaXms = Object.values((op['x-ms-examples'] ?? {}) as JsonObject).some((ex) => ex?.responses?.[code]?.body !== undefined);
          return !(response.examples?.['application/json'] !== undefined || hasSchemaExample(response.schema) || viaXms);
        })
        .map(([code]) => `${method.toUpperCase()} ${path} (${op.operationId}): ${code}`),
    );
    expect(missing, 'success responses without an example').toEqual([]);
  });
});

describe('a broken example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'examples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a mutated copy of the spec to the temp dir and checks it as read back from disk. */
  function checkCopy(mutate: (copy: JsonObject) => void) {
    const copy = structuredClone(spec);
    mutate(copy);
    const file = join(dir, 'referrals.swagger.json');
    writeFileSync(file, JSON.stringify(copy, null, 2));
    return checkExamples(JSON.parse(readFileSync(file, 'utf8')));
  }

  /** The value at a path of findExamples() inside a copy of the spec. */
  function locate(copy: JsonObject, example: FoundExample): JsonObject {
    const found = findExamples(copy).find((e) => e.path === example.path);
    if (!found || typeof found.value !== 'object' || found.value === null) throw new Error(`no object example at ${example.path}`);
    return found.value as JsonObject;
  }

  // A response example that is an object with a string property: the typical Referral example.
  const target = examples.flatMap((example) => {
    const schema: JsonObject | undefined = deref(spec, example.schema);
    const value = example.value;
    if (!/\.responses\b/.test(example.path) || !schema?.properties || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    const key = Object.keys(value).find((k) => deref(spec, schema.properties[k])?.type === 'string' && !deref(spec, schema.properties[k])?.enum);
    const enumKey = Object.keys(value).find((k) => Array.isArray(deref(spec, schema.properties[k])?.enum));
    return key ? [{ example, key, enumKey }] : [];
  })[0];

  it('exists to break (a response example with a string property)', () => {
    expect(target, 'no response example with a string property found').toBeDefined();
  });

  it('is reported with the JSON path of the wrong value', () => {
    if (!target) return;
    const problems = checkCopy((copy) => {
      locate(copy, target.example)[target.key] = 12345;
    });
    expect(problems).toContainEqual({ path: `${target.example.path}${jsonPath([target.key]).slice(1)}`, message: 'must be string' });
    expect(problems).toHaveLength(1);
  });

  it('names the allowed values when an enum is violated', () => {
    if (!target?.enumKey) return;
    const enumKey = target.enumKey;
    const problems = checkCopy((copy) => {
      locate(copy, target.example)[enumKey] = 'NotARealValue';
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(`${target.example.path}${jsonPath([enumKey]).slice(1)}`);
    expect(problems[0]?.message).toMatch(/^must be one of "/);
  });
});

describe('the example checker', () => {
  // Every place an example can sit, each broken once.
  const synthetic: JsonObject = {
    swagger: '2.0',
    info: { title: 'Synthetic', version: '1' },
    paths: {
      '/referrals/{id}': {
        patch: {
          operationId: 'Patch',
          parameters: [
            { name: 'id', in: 'path', required: true, type: 'string', 'x-example': 42 },
            {
              name: 'body',
              in: 'body',
              schema: { type: 'array', items: { $ref: '#/definitions/Op' }, example: [{ op: 'remove', path: '/a' }] },
              'x-example': { 'application/json': [{ op: 'add', path: '/a' }, { op: 'replace' }] },
            },
          ],
          responses: {
            '200': { description: 'ok', schema: { $ref: '#/definitions/Op' }, examples: { 'application/json': { op: 'add', path: 3 } } },
            '204': { description: 'no body', examples: { 'application/json': {} } },
          },
          'x-ms-examples': {
            one: { parameters: { body: [{ op: 'add' }], id: 'abc', unknown: 1 }, responses: { '200': { body: { op: 'add', path: '/x' } } } },
          },
        },
      },
    },
    definitions: {
      Op: {
        type: 'object',
        required: ['op', 'path'],
        properties: {
          op: { type: 'string', enum: ['add', 'replace'], 'x-ms-summary': 'Operation' },
          path: { type: 'string' },
          n: { type: 'integer', format: 'int32', minimum: 0, exclusiveMinimum: true, example: 0 },
          at: { type: 'string', format: 'date-time', example: 'yesterday' },
        },
      },
    },
  };

  it('reports readOnly fields sent in request examples, including a referenced definition\'s example', () => {
    const spec2: JsonObject = {
      swagger: '2.0',
      info: { title: 'ReadOnly', version: '1' },
      paths: {
        '/things': {
          post: { operationId: 'Create', parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Thing' } }], responses: { '201': { description: 'ok', schema: { $ref: '#/definitions/Thing' } } } },
          put: {
            operationId: 'Replace',
            parameters: [
              {
                name: 'body',
                in: 'body',
                schema: { $ref: '#/definitions/Thing' },
                'x-examples': { 'application/json': { good: { summary: 'ok', value: { name: 'a', parts: [{ label: 'x' }] } }, bad: { value: { name: 'a', parts: [{ id: 'p1' }] } } } },
              },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
      definitions: {
        Thing: {
          type: 'object',
          properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' }, parts: { type: 'array', items: { $ref: '#/definitions/Part' } } },
          example: { id: 't1', name: 'a' },
        },
        Part: { type: 'object', properties: { id: { type: 'string', readOnly: true }, label: { type: 'string' } } },
      },
    };
    expect(requestBodyExamples(spec2).map((e) => `${e.operation} ${e.path}`)).toEqual([
      'PUT /things (Replace) $.paths["/things"].put.parameters[0]["x-examples"]["application/json"].good.value',
      'PUT /things (Replace) $.paths["/things"].put.parameters[0]["x-examples"]["application/json"].bad.value',
      'POST /things (Create) $.definitions.Thing.example',
    ]);
    expect(formatProblems(readOnlyProblems(spec2)).split('\n')).toEqual([
      '$.paths["/things"].put.parameters[0]["x-examples"]["application/json"].bad.value.parts[0].id: is read-only (set by the service) and must not appear in a request example',
      '$.definitions.Thing.example.id: is read-only (set by the service) and must not appear in a request example',
    ]);
    expect(checkExamples(spec2)).toEqual([]);
  });

  it('reports each broken value at its JSON path and passes the valid ones', () => {
    expect(formatProblems(checkExamples(synthetic)).split('\n')).toEqual([
      '$.definitions.Op.properties.n.example: must be > 0',
      '$.definitions.Op.properties.at.example: must match format "date-time"',
      '$.paths["/referrals/{id}"].patch.parameters[0]["x-example"]: must be string',
      '$.paths["/referrals/{id}"].patch.parameters[1].schema.example[0].op: must be one of "add", "replace"',
      '$.paths["/referrals/{id}"].patch.parameters[1]["x-example"]["application/json"][1]: must have required property \'path\'',
      '$.paths["/referrals/{id}"].patch.responses["200"].examples["application/json"].path: must be string',
      '$.paths["/referrals/{id}"].patch.responses["204"].examples["application/json"]: example has no schema to validate against (declare the schema or the parameter it illustrates)',
      '$.paths["/referrals/{id}"].patch["x-ms-examples"].one.parameters.body[0]: must have required property \'path\'',
      '$.paths["/referrals/{id}"].patch["x-ms-examples"].one.parameters.unknown: example has no schema to validate against (declare the schema or the parameter it illustrates)',
    ]);
  });
});
