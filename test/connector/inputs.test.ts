/**
 * A body value outside its schema's constraints is refused before anything is sent, naming the
 * input and the constraint; a value on the boundary goes out. One small package, one property
 * per constraint (inputs.ts, checkConstraints).
 */
import { describe, expect, it } from 'vitest';
import { ConnectorRuntime, parsePackage } from '../../src/connector-runtime/index.js';
import { oneOperation, recording } from './recording.js';

const properties = {
  kind: { type: 'string', enum: ['a', 'b'] },
  level: { type: 'integer', enum: [1, 2] },
  code: { type: 'string', minLength: 2, maxLength: 3 },
  ref: { type: 'string', pattern: '^/items/' },
  dotnet: { type: 'string', pattern: '(?i)^abc$' },
  count: { type: 'integer', minimum: 1, maximum: 10 },
  ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
  tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['x', 'y'] } },
  note: { type: 'string', enum: ['fixed'], 'x-nullable': true },
};

/** A package whose one operation, CreateItem, takes a body object with these properties. */
const withBody = (props: Record<string, unknown>) => ({
  swagger: '2.0',
  info: { title: 'Inputs' },
  host: 'api.example.com',
  basePath: '/v1',
  paths: {
    '/items': {
      post: {
        operationId: 'CreateItem',
        parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object', properties: props } }],
        responses: { 200: { description: 'ok' } },
      },
    },
  },
});

function connect(definition = withBody(properties)) {
  const sent: unknown[] = [];
  const conn = new ConnectorRuntime(parsePackage(definition, {})).connect({
    backendBaseUrl: 'https://backend.test/v1',
    token: 'tok',
    callLimit: false,
    fetch: async (_input, init) => {
      sent.push(JSON.parse(String(init!.body)));
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    },
  });
  return { conn, sent };
}

describe("a body value outside its schema's constraints", () => {
  it.each([
    { body: { kind: 'c' }, message: "input 'body.kind' must be one of 'a', 'b', got 'c'" },
    { body: { level: 3 }, message: "input 'body.level' must be one of 1, 2, got 3" },
    { body: { code: 'a' }, message: "input 'body.code' must be at least 2 characters long, got 'a'" },
    { body: { code: 'abcd' }, message: "input 'body.code' must be at most 3 characters long, got 'abcd'" },
    { body: { ref: '/other/1' }, message: "input 'body.ref' must match ^/items/, got '/other/1'" },
    { body: { count: 0 }, message: "input 'body.count' must be at least 1, got 0" },
    { body: { count: 11 }, message: "input 'body.count' must be at most 10, got 11" },
    { body: { ratio: 0 }, message: "input 'body.ratio' must be greater than 0, got 0" },
    { body: { ratio: 1 }, message: "input 'body.ratio' must be less than 1, got 1" },
    { body: { tags: [] }, message: "input 'body.tags' must hold at least 1 item, got 0" },
    { body: { tags: ['x', 'y', 'x'] }, message: "input 'body.tags' must hold at most 2 items, got 3" },
    { body: { tags: ['x', 'z'] }, message: "input 'body.tags[1]' must be one of 'x', 'y', got 'z'" },
  ])('$message', async ({ body, message }) => {
    const { conn, sent } = connect();
    await expect(conn.invoke('CreateItem', { body })).rejects.toThrow(`CreateItem: ${message}`);
    expect(sent).toEqual([]);
  });

  it('lets values on the boundaries through, null where x-nullable, and skips a pattern JavaScript cannot compile', async () => {
    const { conn, sent } = connect();
    const body = { kind: 'b', level: 1, code: 'abc', ref: '/items/1', dotnet: 'ABC', count: 10, ratio: 0.5, tags: ['y', 'x'], note: null };
    expect((await conn.invoke('CreateItem', { body })).status).toBe(200);
    expect((await conn.invoke('CreateItem', { body: { code: 'ab', count: 1, tags: ['x'] } })).status).toBe(200);
    expect(sent).toEqual([body, { code: 'ab', count: 1, tags: ['x'] }]);
  });
});

describe('an enum member is what the designer offers, whatever else the schema says (corpus: certified packages whose constraints contradict their own enum)', () => {
  // Certified Verified, PostEnvelopesEnvelopeIdRecipients: `language` lists "nb-NO", "sv-SE", ...
  // under the pattern ^[a-z]{2}_[A-Z]{2}$, which none of them matches. Certified TPCPortal:
  // `isApproved` is a boolean whose enum is the strings "true" and "false".
  const contradicting = withBody({
    language: { type: 'string', pattern: '^[a-z]{2}_[A-Z]{2}$', enum: ['nb-NO', 'sv-SE', 'da-DK'] },
    isApproved: { type: 'boolean', enum: ['true', 'false'] },
  });
  const connectTo = () => connect(contradicting);

  it('sends a value of the enum that the pattern does not match (Verified: language nb-NO)', async () => {
    const { conn, sent } = connectTo();
    expect((await conn.invoke('CreateItem', { body: { language: 'nb-NO' } })).status).toBe(200);
    expect(sent).toEqual([{ language: 'nb-NO' }]);
  });

  it('matches a boolean against an enum of its text forms (TPCPortal: isApproved true, "true")', async () => {
    const { conn, sent } = connectTo();
    expect((await conn.invoke('CreateItem', { body: { isApproved: true } })).status).toBe(200);
    expect(sent).toEqual([{ isApproved: true }]);
  });

  it('still refuses a value outside the enum, and a value of the wrong type', async () => {
    const { conn, sent } = connectTo();
    await expect(conn.invoke('CreateItem', { body: { language: 'en_US' } })).rejects.toThrow("CreateItem: input 'body.language' must be one of 'nb-NO', 'sv-SE', 'da-DK', got 'en_US'");
    await expect(conn.invoke('CreateItem', { body: { isApproved: 'true' } })).rejects.toThrow("CreateItem: input 'body.isApproved' must be a boolean, got string");
    expect(sent).toEqual([]);
  });
});

describe('x-ms-notification-url (docs, "OpenAPI extensions": the platform supplies the callback URL)', () => {
  const definition = oneOperation('/hooks', 'post', {
    operationId: 'Subscribe',
    parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object', required: ['callbackUrl'], properties: { callbackUrl: { type: 'string', 'x-ms-notification-url': true, 'x-ms-visibility': 'internal' }, event: { type: 'string' } } } }],
  });

  it("fills the property with the flow's callback URL (assumption: its form), leaving a value the flow gave", async () => {
    const { conn, sent } = recording({ definition, options: { run: { workflowId: 'wf 1' } } });
    await conn.invoke('Subscribe', { body: { event: 'created' } });
    await conn.invoke('Subscribe', { body: { event: 'created', callbackUrl: 'https://mine.test/cb' } });
    expect(sent.map((s) => s.body)).toEqual([
      { event: 'created', callbackUrl: 'https://flow.invalid/workflows/wf%201/callback' },
      { event: 'created', callbackUrl: 'https://mine.test/cb' },
    ]);
  });
});

describe('request building: forms, header names, internal defaults (inputs.ts; README "Requests")', () => {
  const send = async (operation: Record<string, unknown>, inputs: Record<string, unknown>, consumes?: string[]) => {
    const { conn, sent } = recording({ definition: oneOperation('/things', 'post', { operationId: 'Op', ...operation, ...(consumes ? { consumes } : {}) }) });
    await conn.invoke('Op', inputs);
    return sent[0]!;
  };

  it('formData goes as application/x-www-form-urlencoded, or multipart/form-data when the operation consumes it or sends a file (Swagger 2.0)', async () => {
    const fields = [
      { name: 'title', in: 'formData', type: 'string' },
      { name: 'count', in: 'formData', type: 'integer' },
    ];
    // The runtime leaves the content type to fetch, which writes it from the body (with the
    // multipart boundary); the recording backend sees the body as fetch would send it.
    const plain = await send({ parameters: fields }, { title: 'a b', count: 2 });
    expect(plain.headers['content-type']).toBeUndefined();
    expect(plain.text).toBe('title=a+b&count=2');
    const declared = await send({ parameters: fields }, { title: 'a b', count: 2 }, ['multipart/form-data']);
    expect(declared.text).toMatch(/^--\S+\r\nContent-Disposition: form-data; name="title"\r\n\r\na b\r\n--/);
    const file = await send({ parameters: [{ name: 'doc', in: 'formData', type: 'file' }] }, { doc: 'file content' });
    expect(file.text).toContain('Content-Disposition: form-data; name="doc"; filename="doc"');
    expect(file.text).toContain('\r\n\r\nfile content\r\n--');
  });

  it('a header parameter whose name is not an HTTP token is refused when called, naming it (corpus TxtSync: "Content-Type:")', async () => {
    const { conn, sent } = recording({ definition: oneOperation('/things', 'post', { operationId: 'Op', parameters: [{ name: 'Content-Type:', in: 'header', type: 'string' }] }) });
    await expect(conn.invoke('Op', { 'Content-Type:': 'text/plain' })).rejects.toThrow("Op: input 'Content-Type:' is a header parameter whose name is not a valid HTTP header name");
    expect(sent).toEqual([]);
  });

  it('an internal default goes out as declared, unchecked (corpus Impexium: an integer path parameter defaulting to "1"); a null default is no default (corpus Motimate)', async () => {
    const sent = await send(
      {
        parameters: [
          { name: 'version', in: 'query', type: 'integer', required: true, default: '1', 'x-ms-visibility': 'internal' },
          { name: 'body', in: 'body', schema: { type: 'object', properties: { source: { type: 'string', default: null, 'x-ms-visibility': 'internal' }, kind: { type: 'string', default: 'k', 'x-ms-visibility': 'internal' } } } },
        ],
      },
      { body: {} },
    );
    expect(new URL(sent.url).searchParams.get('version')).toBe('1');
    expect(sent.body).toEqual({ kind: 'k' });
  });
});
