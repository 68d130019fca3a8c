// How the comparison reads real definitions: $ref chains, cycles, allOf, YAML merge keys,
// path-level parameters and webhook content, dangling pointers, and the shape of each change.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { diffConnectors } from '../../scripts/lib/diff/compare.mjs';
// @ts-expect-error: plain ESM script without type declarations
import { sideFromValues } from '../../scripts/lib/diff/load.mjs';
import { diffValues, summary } from './helpers.js';

const op = (extra: Record<string, unknown> = {}) => ({ operationId: 'GetNode', responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/Node' } } }, ...extra });

describe('the comparison', () => {
  it('finds nothing between a definition and itself', async () => {
    const def = { paths: { '/n': { get: op() } }, definitions: { Node: { type: 'object', properties: { id: { type: 'string' } } } } };
    expect((await diffValues(def, def)).changes).toEqual([]);
  });

  it('walks a recursive schema once per cycle and reports a change at its first level', async () => {
    const node = (childType: string) => ({
      type: 'object',
      properties: { name: { type: childType }, children: { type: 'array', items: { $ref: '#/definitions/Node' } }, parent: { $ref: '#/definitions/Node' } },
    });
    const { changes } = await diffValues({ paths: { '/n': { get: op() } }, definitions: { Node: node('string') } }, { paths: { '/n': { get: op() } }, definitions: { Node: node('integer') } });
    expect(summary(changes)).toEqual(['output-type-changed operation/GetNode/responses/200/schema/name/type']);
  });

  it('reports a shared schema once per operation that uses it, at each one\'s path', async () => {
    const paths = { '/a': { get: op({ operationId: 'A' }) }, '/b': { get: op({ operationId: 'B' }) } };
    const { changes } = await diffValues(
      { paths, definitions: { Node: { type: 'object', properties: { id: { type: 'string' }, old: { type: 'string' } } } } },
      { paths, definitions: { Node: { type: 'object', properties: { id: { type: 'string' } } } } },
    );
    expect(summary(changes)).toEqual(['output-field-deleted operation/A/responses/200/schema/old', 'output-field-deleted operation/B/responses/200/schema/old']);
    expect(changes.map((c) => c.operationId)).toEqual(['A', 'B']);
  });

  it('ignores a definition renamed when what the operations see is the same', async () => {
    const { changes } = await diffValues(
      { paths: { '/n': { get: op() } }, definitions: { Node: { type: 'object', properties: { id: { type: 'string' } } } } },
      { paths: { '/n': { get: { ...op(), responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/NodeV2' } } } } } }, definitions: { NodeV2: { type: 'object', properties: { id: { type: 'string' } } } } },
    );
    expect(changes).toEqual([]);
  });

  it('merges allOf: a property moved from the schema into a base it includes is no change', async () => {
    const { changes } = await diffValues(
      { paths: { '/n': { get: op() } }, definitions: { Node: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, name: { type: 'string' } } } } },
      {
        paths: { '/n': { get: op() } },
        definitions: { Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, Node: { allOf: [{ $ref: '#/definitions/Base' }, { properties: { name: { type: 'string' } } }] } },
      },
    );
    expect(changes).toEqual([]);
  });

  it('applies path-level parameters, overridden by the operation\'s own', async () => {
    const oldDef = { paths: { '/n/{id}': { parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], get: { operationId: 'GetNode', responses: { '200': { description: 'OK' } } } } } };
    const newDef = {
      paths: {
        '/n/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
          get: { operationId: 'GetNode', parameters: [{ name: 'id', in: 'path', required: true, type: 'integer' }], responses: { '200': { description: 'OK' } } },
        },
      },
    };
    expect(summary((await diffValues(oldDef, newDef)).changes)).toEqual(['input-type-changed operation/GetNode/parameter/id/type']);
  });

  it('reads a webhook trigger\'s output from x-ms-notification-content on the path item', async () => {
    const hook = (type: string) => ({
      paths: {
        '/hooks': {
          'x-ms-notification-content': { description: 'Event', schema: { type: 'object', properties: { count: { type } } } },
          post: {
            operationId: 'OnEvent',
            'x-ms-trigger': 'single',
            parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object', properties: { callbackUrl: { type: 'string', 'x-ms-notification-url': true } } } }],
            responses: { '201': { description: 'Created' } },
          },
        },
      },
    });
    expect(summary((await diffValues(hook('string'), hook('integer'))).changes)).toEqual(['output-type-changed operation/OnEvent/responses/x-ms-notification-content/schema/count/type']);
  });

  it('gives each change its class, level, operation, path, message and fix', async () => {
    const { changes } = await diffValues(
      { paths: { '/n': { get: { operationId: 'GetNode', parameters: [{ name: 'q', in: 'query', type: 'string' }], responses: { '200': { description: 'OK' } } } } } },
      { paths: { '/n': { get: { operationId: 'GetNode', parameters: [{ name: 'q', in: 'query', type: 'integer' }], responses: { '200': { description: 'OK' } } } } } },
    );
    expect(changes).toEqual([
      {
        class: 'input-type-changed',
        level: 'error',
        breaking: true,
        operationId: 'GetNode',
        path: 'operation/GetNode/parameter/q/type',
        detail: 'string → integer',
        message: 'The type has been changed for the input field (string → integer). Values existing flows send no longer validate.',
        fix: expect.stringContaining('Keep the type'),
        section: 'Changed',
      },
    ]);
  });

  it('says that a deleted operation was deprecated or internal', async () => {
    const paths = { '/a': { get: { operationId: 'A', deprecated: true, responses: { '200': { description: 'OK' } } } }, '/b': { get: { operationId: 'B', 'x-ms-visibility': 'internal', responses: { '200': { description: 'OK' } } } } };
    const { changes } = await diffValues({ paths }, { paths: {} });
    expect(changes.map((c) => c.message)).toEqual([
      expect.stringMatching(/^The operation has been deleted \(it was deprecated\)\./),
      expect.stringMatching(/^The operation has been deleted \(it was internal\)\./),
    ]);
  });

  it('reads a dangling $ref as an empty schema and says so', async () => {
    const { changes, notes } = await diffValues({ paths: { '/n': { get: op() } } }, { paths: { '/n': { get: op() } } });
    expect(changes).toEqual([]);
    expect(notes).toEqual([
      'old side: apiDefinition.swagger.json: $ref "#/definitions/Node" points at nothing; read as an empty schema',
      'new side: apiDefinition.swagger.json: $ref "#/definitions/Node" points at nothing; read as an empty schema',
    ]);
  });

  it('reads YAML merge keys (<<) as the spec\'s own tools do', async () => {
    const yaml = (extra: string) => `swagger: '2.0'
info: { title: T, version: '1' }
paths:
  /n:
    get:
      operationId: GetNode
      responses: { '200': { description: OK, schema: { $ref: '#/definitions/Node' } } }
definitions:
  Base:
    properties: &props
      id: { type: string }
  Node:
    type: object
    properties:
      <<: *props
${extra}`;
    const oldSide = await sideFromValues('old', 'old', yaml('      name: { type: string }'), undefined, 'spec.yaml');
    const newSide = await sideFromValues('new', 'new', yaml(''), undefined, 'spec.yaml');
    expect(summary(diffConnectors(oldSide, newSide).changes)).toEqual(['output-field-deleted operation/GetNode/responses/200/schema/name']);
    expect(Object.keys(newSide.definition.definitions.Node.properties)).toEqual(['id']);
  });

  it('compares apiProperties.json only when both sides have one, and says so', async () => {
    const def = { paths: { '/n': { get: { operationId: 'GetNode', responses: { '200': { description: 'OK' } } } } } };
    const { notes, comparedApiProperties } = await diffValues(def, def, { new: { properties: { scriptOperations: ['GetNode'] } } });
    expect(comparedApiProperties).toBe(false);
    expect(notes).toContain('apiProperties.json not compared: only the new side has one');
  });

  it('keeps the old side\'s order: operations as written, added ones last', async () => {
    const r = (id: string) => ({ get: { operationId: id, responses: { '200': { description: 'OK' } } } });
    const { changes } = await diffValues({ paths: { '/b': r('B'), '/a': r('A') } }, { paths: { '/c': r('C') } });
    expect(changes.map((c) => `${c.class} ${c.operationId}`)).toEqual(['operation-deleted B', 'operation-deleted A', 'operation-added C']);
  });
});

describe('a definition from text', () => {
  it('refuses a document that is no Swagger 2.0, naming the side', async () => {
    await expect(sideFromValues('new', 'x', JSON.stringify({ openapi: '3.0.0', paths: {} }))).rejects.toThrow('new side: apiDefinition.swagger.json: not a Swagger 2.0 definition ("swagger" is undefined, expected "2.0")');
  });

  it('tolerates a byte-order mark, comments and trailing commas, and notes them', async () => {
    const side = await sideFromValues('old', 'x', `\uFEFF{ // a comment\n"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},\n}`);
    expect(side.notes).toEqual(['apiDefinition.swagger.json: byte-order mark', 'apiDefinition.swagger.json: not strict JSON (comments or trailing commas), read as JSON5']);
    expect(side.definition.swagger).toBe('2.0');
  });
});
