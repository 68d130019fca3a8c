/**
 * The gateway as any HTTP server mounts it (handleGatewayRequest): plain request in, plain
 * answer out, on a small package with a recording transport.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorRuntime, parsePackage } from '../../src/connector-runtime/index.js';
import { handleGatewayRequest, type GatewayRequest } from '../../src/connector-runtime/gateway.js';

const definition = {
  swagger: '2.0',
  info: { title: 'Gateway' },
  host: 'api.example.com',
  basePath: '/v1',
  paths: {
    '/items': {
      get: {
        operationId: 'ListItems',
        parameters: [
          { name: 'x-page-size', in: 'header', type: 'integer' },
          { name: 'x-deep', in: 'header', type: 'boolean' },
          { name: 'top', in: 'query', type: 'integer' },
        ],
        responses: { 200: { description: 'ok' } },
      },
      post: {
        operationId: 'CreateItem',
        parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } }],
        responses: { 200: { description: 'ok' } },
      },
    },
    '/items/{id}': {
      get: { operationId: 'GetItem', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: { 200: { description: 'ok' } } },
      delete: { operationId: 'DeleteItem', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: { 204: { description: 'gone' } } },
    },
  },
};

function gateway() {
  const sent: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
  const conn = new ConnectorRuntime(parsePackage(definition, {})).connect({
    backendBaseUrl: 'https://backend.test/v1',
    token: 'tok',
    callLimit: false,
    fetch: async (input, init) => {
      sent.push({ method: init!.method!, url: String(input), headers: init!.headers as Record<string, string> });
      // Framing headers the backend sends for its own bytes: the gateway re-serialises the body.
      return new Response(JSON.stringify({ ok: true }), {
        headers: { 'content-type': 'application/json', 'content-length': '11', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'x-request-id': 'r1' },
      });
    },
  });
  return { send: (req: Partial<GatewayRequest>) => handleGatewayRequest(conn, { method: 'GET', path: '/items', headers: {}, ...req }), sent };
}

describe('handleGatewayRequest', () => {
  it.each([
    { name: 'an operation runs', req: { path: '/items/a%20b' }, status: 200, code: undefined, backend: 'GET https://backend.test/v1/items/a%20b' },
    { name: 'no operation on the path', req: { path: '/nothing' }, status: 404, code: 'NotFound', backend: undefined },
    { name: 'a method the path does not have', req: { method: 'PUT', path: '/items/1' }, status: 405, code: 'MethodNotAllowed', backend: undefined },
    { name: 'a body that is not JSON', req: { method: 'POST', body: '{"name":' }, status: 400, code: 'InvalidJson', backend: undefined },
    { name: 'a body the schema refuses', req: { method: 'POST', body: '{}' }, status: 400, code: 'InvalidFlowInput', backend: undefined },
    { name: 'a malformed escape in a path segment', req: { path: '/items/%E0' }, status: 400, code: 'InvalidPath', backend: undefined },
  ])('$name: $status', async ({ req, status, code, backend }) => {
    const { send, sent } = gateway();
    const res = await send(req);
    expect(res.status).toBe(status);
    if (code) expect(JSON.parse(res.body).error.code).toBe(code);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(backend ? [backend] : []);
  });

  it('405 lists the methods the path has in Allow', async () => {
    const res = await gateway().send({ method: 'PUT', path: '/items/1' });
    expect(res.headers.allow).toBe('GET, DELETE');
    expect(JSON.parse(res.body).error.message).toContain('use GET, DELETE');
  });

  it('a malformed escape names the segment and the parameter', async () => {
    const res = await gateway().send({ path: '/items/%E0' });
    expect(JSON.parse(res.body).error.message).toBe("The path segment '%E0' (parameter 'id' of GetItem) is not valid percent-encoding.");
  });

  it("strips the backend's framing headers and keeps the others", async () => {
    const res = await gateway().send({});
    expect(res.body).toBe('{"ok":true}');
    expect(res.headers['x-request-id']).toBe('r1');
    expect(Object.keys(res.headers).filter((h) => ['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'content-encoding'].includes(h))).toEqual([]);
  });

  it('header values are typed as the swagger declares them, like query values', async () => {
    const { send, sent } = gateway();
    const res = await send({ path: '/items?top=5', headers: { 'X-Page-Size': '20', 'x-deep': 'true' } });
    expect(res.status).toBe(200);
    expect(sent[0]!.headers['x-page-size']).toBe('20');
    expect(sent[0]!.headers['x-deep']).toBe('true');
    expect(sent[0]!.url).toBe('https://backend.test/v1/items?top=5');
  });
});
