/**
 * Each policy template on a small package, with a recording transport: what the backend would
 * receive, and what the flow gets back. Plus the load-time refusals of bad packages.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorRuntime, PackageError, parsePackage, PollingTrigger } from '../../src/connector-runtime/index.js';

const definition = {
  swagger: '2.0',
  info: { title: 'Test' },
  host: 'api.example.com',
  basePath: '/v1',
  securityDefinitions: { oauth2: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://login.example/authorize', tokenUrl: 'https://login.example/token', scopes: {} } },
  paths: {
    '/items': {
      get: { operationId: 'ListItems', parameters: [{ name: 'q', in: 'query', type: 'string' }], 'x-ms-pageable': { nextLinkName: 'nextLink' }, responses: { 200: { description: 'ok' } } },
      post: {
        operationId: 'CreateItem',
        parameters: [
          {
            name: 'body',
            in: 'body',
            required: true,
            schema: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' }, kind: { type: 'string', default: 'widget', 'x-ms-visibility': 'internal' }, tags: { type: 'string' }, refs: { type: 'array', items: { type: 'object' } }, map: { type: 'object' } },
            },
          },
        ],
        responses: { 200: { description: 'ok' } },
      },
    },
    '/items/{id}': {
      get: {
        operationId: 'GetItem',
        parameters: [
          { name: 'id', in: 'path', required: true, type: 'string' },
          { name: 'raw', in: 'query', type: 'integer' },
        ],
        responses: { 200: { description: 'ok' } },
      },
    },
    '/docs/{path}': {
      get: { operationId: 'GetDoc', parameters: [{ name: 'path', in: 'path', required: true, type: 'string', 'x-ms-url-encoding': 'double' }], responses: { 200: { description: 'ok' } } },
    },
    '/changes': {
      get: { operationId: 'OnChange', 'x-ms-trigger': 'single', parameters: [], responses: { 200: { description: 'ok' } } },
    },
  },
};

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

function run(policies: unknown[], answer: (req: Sent) => { status?: number; body?: unknown; headers?: Record<string, string> } = () => ({ body: { ok: true } }), params: Record<string, unknown> = {}) {
  const sent: Sent[] = [];
  const runtime = new ConnectorRuntime(parsePackage(definition, { properties: { policyTemplateInstances: policies } }));
  const conn = runtime.connect({
    backendBaseUrl: 'https://backend.test/v1',
    connectorBaseUrl: 'https://gateway.test/apim/test/c1',
    token: 'tok',
    callLimit: false,
    connectionParameters: params,
    fetch: async (input, init) => {
      const req: Sent = { method: init!.method!, url: String(input), headers: init!.headers as Record<string, string>, body: init!.body ? JSON.parse(String(init!.body)) : undefined };
      sent.push(req);
      const a = answer(req);
      return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status ?? 200, headers: { 'content-type': 'application/json', ...a.headers } });
    },
  });
  return { conn, sent };
}

const P = 'x-ms-apimTemplateParameter.';
const ops = (...names: string[]) => ({ 'x-ms-apimTemplate-operationName': names });

describe('request building', () => {
  it('fills internal body properties, encodes path values per x-ms-url-encoding, sends the token', async () => {
    const { conn, sent } = run([]);
    await conn.invoke('CreateItem', { body: { name: 'a' } });
    await conn.invoke('GetItem', { id: 'a b/c', raw: 3 });
    await conn.invoke('GetDoc', { path: 'a/b' });
    expect(sent[0]!.body).toEqual({ name: 'a', kind: 'widget' });
    expect(sent[0]!.headers.authorization).toBe('Bearer tok');
    expect(sent[1]!.url).toBe('https://backend.test/v1/items/a%20b%2Fc?raw=3');
    expect(sent[2]!.url).toBe('https://backend.test/v1/docs/a%252Fb');
  });

  it('refuses a missing required body property, naming it', async () => {
    const { conn, sent } = run([]);
    await expect(conn.invoke('CreateItem', { body: {} })).rejects.toThrow("CreateItem: input 'body.name' is required");
    expect(sent).toEqual([]);
  });
});

describe('templates', () => {
  it('setheader: override, skip and append on the request; response section on the answer; template ids in any case', async () => {
    const { conn, sent } = run([
      { templateId: 'SetHeader', title: 'a', parameters: { [`${P}name`]: 'X-Key', [`${P}value`]: "@connectionParameters('key')", [`${P}existsAction`]: 'override', 'x-ms-apimTemplate-policySection': 'Request' } },
      { templateId: 'setheader', title: 'b', parameters: { [`${P}name`]: 'X-Key', [`${P}value`]: 'ignored', [`${P}existsAction`]: 'skip', 'x-ms-apimTemplate-policySection': 'Request' } },
      { templateId: 'setheader', title: 'c', parameters: { [`${P}name`]: 'X-Key', [`${P}value`]: "moo@headers('x-key')", [`${P}existsAction`]: 'append', 'x-ms-apimTemplate-policySection': 'Request' } },
      { templateId: 'setheader', title: 'd', parameters: { [`${P}name`]: 'X-Out', [`${P}value`]: "@connectionParameters('missing', 'dflt')", [`${P}existsAction`]: 'override', 'x-ms-apimTemplate-policySection': 'Response' } },
    ], undefined, { key: 'k1' });
    const res = await conn.invoke('ListItems', {});
    expect(sent[0]!.headers['x-key']).toBe('k1,mook1');
    expect(res.headers['x-out']).toBe('dflt');
  });

  it('setqueryparameter: sets a decoded name, skip keeps the flow value', async () => {
    const { conn, sent } = run([
      { templateId: 'setQueryParameter', title: 'a', parameters: { ...ops('ListItems'), [`${P}name`]: '%24top', [`${P}value`]: '50', [`${P}existsAction`]: 'override' } },
      { templateId: 'setqueryparameter', title: 'b', parameters: { ...ops('ListItems'), [`${P}name`]: 'q', [`${P}value`]: 'policy', [`${P}existsAction`]: 'skip' } },
    ]);
    await conn.invoke('ListItems', { q: 'mine' });
    const url = new URL(sent[0]!.url);
    expect(url.searchParams.get('$top')).toBe('50');
    expect(url.searchParams.get('q')).toBe('mine');
  });

  it('dynamichosturl: the host URL (with its path) comes from the connection and replaces host and basePath', async () => {
    const { conn, sent } = run([{ templateId: 'dynamicHostUrl', title: 'h', parameters: { [`${P}urlTemplate`]: "https://@connectionParameters('tenant').example.net/v1" } }], undefined, { tenant: 'contoso' });
    await conn.invoke('GetItem', { id: '1' });
    expect(sent[0]!.url).toBe('https://contoso.example.net/v1/items/1');
  });

  it('routerequesttoendpoint: new path with the operation parameters and a new method', async () => {
    const { conn, sent } = run([{ templateId: 'routerequesttoendpoint', title: 'r', parameters: { ...ops('GetItem'), [`${P}newPath`]: '/things/{id}/detail', [`${P}httpMethod`]: 'POST' } }]);
    await conn.invoke('GetItem', { id: 'x 1' });
    expect(sent[0]!.method).toBe('POST');
    expect(sent[0]!.url).toBe('https://backend.test/v1/things/x%201/detail');
  });

  it('setproperty: request body property from a template; JSON-looking results become JSON', async () => {
    const { conn, sent } = run([
      { templateId: 'setproperty', title: 's1', parameters: { ...ops('CreateItem'), [`${P}newPropertyParentPathTemplate`]: '@body()', [`${P}newPropertySubPathTemplate`]: "['@odata.type']", [`${P}propertyValuePathTemplate`]: 'item {@body().name}', 'x-ms-apimTemplate-policySection': 'Request' } },
      { templateId: 'SetProperty', title: 's2', parameters: { ...ops('CreateItem'), [`${P}newPropertyParentPathTemplate`]: 'body()', [`${P}newPropertySubPathTemplate`]: 'wrapped', [`${P}propertyValuePathTemplate`]: '[{@body().map}]', 'x-ms-apimTemplate-policySection': 'Request' } },
    ]);
    await conn.invoke('CreateItem', { body: { name: 'n', map: { a: 1 } } });
    expect(sent[0]!.body).toMatchObject({ '@odata.type': 'item n', wrapped: [{ a: 1 }] });
  });

  it('setvaluefromurl: reads a value with a side request (carrying the credential and platform headers) and sets it as a header', async () => {
    const { conn, sent } = run(
      [{ templateId: 'SetValueFromUrl', title: 'v', parameters: { ...ops('GetItem'), [`${P}parameterTemplate`]: "@headers('If-Match')", [`${P}parameterValueUrl`]: '/items/{id}/etag', [`${P}parameterValuePathTemplate`]: "@body()['@odata.etag']", [`${P}httpMethod`]: 'GET', 'x-ms-apimTemplate-policySection': 'Request' } }],
      (req) => (req.url.endsWith('/etag') ? { body: { '@odata.etag': 'W/"7"' } } : { body: {} }),
    );
    await conn.invoke('GetItem', { id: '9' });
    expect(sent.map((s) => s.url)).toEqual(['https://backend.test/v1/items/9/etag', 'https://backend.test/v1/items/9']);
    expect(sent[0]!.headers).toMatchObject({ authorization: 'Bearer tok', accept: 'application/json', 'x-ms-workflow-operation-name': 'GetItem' });
    expect(sent[1]!.headers['if-match']).toBe('W/"7"');
  });

  it('stringreplace, stringtoarray, convertarraytoobject, convertobjecttoarray, encodepropertyvalue on the request body', async () => {
    const common = { ...ops('CreateItem'), 'x-ms-apimTemplate-policySection': 'Request' };
    const { conn, sent } = run([
      { templateId: 'StringReplace', title: 'a', parameters: { ...common, [`${P}propertyParentPath`]: '@body().refs', [`${P}propertySubPath`]: 'link', [`${P}sourceString`]: '@', [`${P}replacementString`]: '%40', [`${P}newPropertyPath`]: '@item().link' } },
      { templateId: 'StringToArray', title: 'b', parameters: { ...common, [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'tags', [`${P}delimiterList`]: ';,', [`${P}childPropertyName`]: 'tag', [`${P}newPropertyPath`]: '@body().tagList' } },
      { templateId: 'ConvertArrayToObject', title: 'c', parameters: { ...common, [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'refs', [`${P}keyWithinCollectionPath`]: 'id', [`${P}retainKey`]: 'false', [`${P}newPropertyPath`]: '@body().refsById' } },
      { templateId: 'ConvertObjectToArray', title: 'd', parameters: { ...common, [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'map', [`${P}keyName`]: 'k', [`${P}valueName`]: 'v', [`${P}newPropertyPath`]: '@body().pairs' } },
      { templateId: 'EncodePropertyValue', title: 'e', parameters: { ...common, [`${P}propertyParentPath`]: '@body().refs', [`${P}propertySubPath`]: 'id', [`${P}newPropertyPath`]: '@item().encoded' } },
    ]);
    await conn.invoke('CreateItem', { body: { name: 'n', tags: 'a;b,c', refs: [{ id: 'x/1', link: 'a@b' }], map: { p: 1, q: 2 } } });
    expect(sent[0]!.body).toMatchObject({
      refs: [{ id: 'x/1', link: 'a%40b', encoded: 'x%2F1' }],
      tagList: [{ tag: 'a' }, { tag: 'b' }, { tag: 'c' }],
      refsById: { 'x/1': { link: 'a%40b' } },
      pairs: [
        { k: 'p', v: 1 },
        { k: 'q', v: 2 },
      ],
    });
  });

  it('updatenextlink: moves the backend next link onto the connector host, and paging follows it', async () => {
    let calls = 0;
    const { conn, sent } = run([{ templateId: 'UpdateNextLink', title: 'u', parameters: { ...ops('ListItems'), [`${P}nextLinkPropertyName`]: 'nextLink' } }], () =>
      ++calls === 1 ? { body: { value: [1, 2], nextLink: 'https://backend.test/v1/items?page=2' } } : { body: { value: [3] } },
    );
    const res = await conn.invokeAll('ListItems', {}, { threshold: 10 });
    expect((res.body as { value: number[] }).value).toEqual([1, 2, 3]);
    expect(sent.map((s) => s.url)).toEqual(['https://backend.test/v1/items', 'https://backend.test/v1/items?page=2']);
  });

  it('updatenextlink: a link on a foreign host is moved onto the connector too, so paging goes through the connector', async () => {
    let calls = 0;
    const { conn, sent } = run([{ templateId: 'updatenextlink', title: 'u', parameters: { ...ops('ListItems'), [`${P}nextLinkPropertyName`]: 'nextLink' } }], () =>
      ++calls === 1 ? { body: { value: [1], nextLink: 'https://public.elsewhere.test/v1/items?page=2' } } : { body: { value: [2] } },
    );
    const first = await conn.invoke('ListItems', {});
    expect((first.body as { nextLink: string }).nextLink).toBe('https://gateway.test/apim/test/c1/items?page=2');
    await conn.follow((first.body as { nextLink: string }).nextLink);
    expect(sent.map((s) => s.url)).toEqual(['https://backend.test/v1/items', 'https://backend.test/v1/items?page=2']);
  });

  it('without updatenextlink a foreign next link stops the run at the host guard', async () => {
    const { conn, sent } = run([], () => ({ body: { value: [1], nextLink: 'https://public.elsewhere.test/v1/items?page=2' } }));
    await expect(conn.invokeAll('ListItems', {}, { threshold: 10 })).rejects.toThrow("The next link 'https://public.elsewhere.test/v1/items?page=2' is not on the connector's host");
    expect(sent).toHaveLength(1);
  });

  it('setheader in the failure section: only answers with status >= 400 get the header', async () => {
    const { conn } = run([{ templateId: 'setheader', title: 'f', parameters: { [`${P}name`]: 'X-Failed', [`${P}value`]: 'yes', 'x-ms-apimTemplate-policySection': 'Failure' } }], (req) =>
      req.url.endsWith('/items/bad') ? { status: 400, body: {} } : req.url.endsWith('/items/ok') ? { status: 399, body: {} } : { body: {} },
    );
    expect((await conn.invoke('GetItem', { id: 'bad' })).headers['x-failed']).toBe('yes');
    expect((await conn.invoke('GetItem', { id: 'ok' })).headers['x-failed']).toBeUndefined();
    expect((await conn.invoke('ListItems', {})).headers['x-failed']).toBeUndefined();
  });

  it('pollingtrigger: x-ms-triggerConfig-nextLink names the next link property a firing poll follows', async () => {
    let n = 0;
    const pages = [{ value: [{ t: 1 }] }, { value: [{ t: 2 }], more: 'https://gateway.test/apim/test/c1/changes?page=2', nextLink: 'https://gateway.test/apim/test/c1/changes?wrong=1' }, { value: [{ t: 3 }] }];
    const { conn, sent } = run(
      [{ templateId: 'pollingtrigger', title: 'p', parameters: { ...ops('OnChange'), [`${P}triggerConfig`]: { 'x-ms-triggerConfig-nextLink': 'more', after: '@{triggerBody().value[0].t}' }, [`${P}triggerDataPath`]: '@triggerBody().value' } }],
      () => ({ body: pages[n++] }),
    );
    const trigger = new PollingTrigger(conn, 'OnChange');
    await trigger.poll();
    const fired = await trigger.poll();
    expect(fired.items).toEqual([{ t: 2 }, { t: 3 }]);
    expect(fired.pages).toBe(2);
    expect(sent.map((s) => new URL(s.url).search)).toEqual(['', '?after=1', '?page=2']);
  });

  it('pollingtrigger: single trigger fires one run per item; the state query comes from the last items', async () => {
    let n = 0;
    const pages = [{ value: [{ t: 1 }] }, { value: [{ t: 3 }, { t: 2 }] }, { value: [] }, { value: [{ t: 4 }] }];
    const { conn, sent } = run([{ templateId: 'PollingTrigger', title: 'p', parameters: { ...ops('OnChange'), [`${P}triggerConfig`]: { after: '@{triggerBody().value[0].t}' }, [`${P}triggerDataPath`]: '@triggerBody().value' } }], () => ({
      body: pages[n++],
    }));
    const trigger = new PollingTrigger(conn, 'OnChange');
    expect((await trigger.poll()).status).toBe(202);
    expect((await trigger.poll()).runs).toEqual([{ t: 3 }, { t: 2 }]);
    expect((await trigger.poll()).status).toBe(202);
    expect((await trigger.poll()).runs).toEqual([{ t: 4 }]);
    expect(sent.map((s) => new URL(s.url).search)).toEqual(['', '?after=1', '?after=3', '?after=3']);
  });

  it('moveproperties and setconnectionstatustounauthenticated (undocumented, from the corpus)', async () => {
    const { conn, sent } = run(
      [
        { templateId: 'moveproperties', title: 'm', parameters: { ...ops('CreateItem'), [`${P}srcParentPath`]: '@body()', [`${P}srcSubPath`]: 'map', [`${P}dstParentPath`]: '@body()', [`${P}dstSubPath`]: 'null', [`${P}copyOnlySubProperties`]: 'true', 'x-ms-apimTemplate-policySection': 'Request' } },
        { templateId: 'setconnectionstatustounauthenticated', title: 'x', parameters: { [`${P}statusCode`]: 401 } },
      ],
      (req) => (req.method === 'GET' ? { status: 401, body: {} } : { body: {} }),
    );
    await conn.invoke('CreateItem', { body: { name: 'n', map: { p: 1 } } });
    expect(sent[0]!.body).toEqual({ name: 'n', kind: 'widget', p: 1 });
    expect((await conn.invoke('ListItems', {})).status).toBe(401);
    const after = await conn.invoke('ListItems', {});
    expect(after.status).toBe(401);
    expect(sent).toHaveLength(2); // the connection is now unauthenticated: nothing more is sent
  });
});

describe('bad packages fail to load, naming the file, the policy and the field', () => {
  const load = (policy: unknown) => () => parsePackage(definition, { properties: { policyTemplateInstances: [policy] } });

  it('an unknown template id', () => {
    expect(load({ templateId: 'setcookie', title: 'Cookie', parameters: {} })).toThrow("apiProperties.json: policy 'Cookie' (policyTemplateInstances[0]), templateId: unknown template 'setcookie'");
  });

  it('an operationId the swagger lacks', () => {
    expect(load({ templateId: 'setheader', title: 'H', parameters: { ...ops('Nope'), [`${P}name`]: 'a', [`${P}value`]: 'b' } })).toThrow(
      "apiProperties.json: policy 'H' (policyTemplateInstances[0]), x-ms-apimTemplate-operationName: names operation 'Nope', which apiDefinition.swagger.json does not have",
    );
  });

  it('a newPath parameter the operation does not have', () => {
    expect(load({ templateId: 'routerequesttoendpoint', title: 'R', parameters: { ...ops('ListItems'), [`${P}newPath`]: '/x/{id}' } })).toThrow(
      "policy 'R' (policyTemplateInstances[0]), x-ms-apimTemplateParameter.newPath: uses {id}, which operation 'ListItems' has no path parameter for",
    );
  });

  it('an expression the runtime cannot evaluate', () => {
    expect(load({ templateId: 'setheader', title: 'E', parameters: { [`${P}name`]: 'a', [`${P}value`]: "@utcNow('o')" } })).toThrow(
      /policy 'E' \(policyTemplateInstances\[0\]\), x-ms-apimTemplateParameter\.value: cannot be evaluated: unknown function 'utcNow'/,
    );
    expect(load({ templateId: 'pollingtrigger', title: 'T', parameters: { ...ops('OnChange'), [`${P}triggerConfig`]: { since: '@{triggerBody().value[0].t' }, [`${P}triggerDataPath`]: '@triggerBody().value' } })).toThrow(
      /policy 'T'.*triggerConfig\.since: cannot be evaluated: expected '\}'/,
    );
    expect(load({ templateId: 'pollingtrigger', title: 'T2', parameters: { ...ops('OnChange'), [`${P}triggerConfig`]: { since: "@{headers('x')}" }, [`${P}triggerDataPath`]: '@triggerBody().value' } })).toThrow(
      /triggerConfig\.since: headers is not available in a trigger state expression/,
    );
  });

  it('a second polling trigger on the same operation', () => {
    const trigger = (title: string, extra: Record<string, unknown>) => ({ templateId: 'pollingtrigger', title, parameters: { ...extra, [`${P}triggerConfig`]: {}, [`${P}triggerDataPath`]: '@triggerBody().value' } });
    expect(() => parsePackage(definition, { properties: { policyTemplateInstances: [trigger('T1', ops('OnChange')), trigger('T2', {})] } })).toThrow(
      "apiProperties.json: policy 'T2', x-ms-apimTemplate-operationName: operation 'OnChange' already has the polling trigger 'T1'",
    );
  });

  it('a setqueryparameter name that is not valid percent-encoding (names arrive encoded, as %24top)', () => {
    expect(load({ templateId: 'setqueryparameter', title: 'Q', parameters: { [`${P}name`]: '%zz', [`${P}value`]: 'v' } })).toThrow(
      "apiProperties.json: policy 'Q' (policyTemplateInstances[0]), x-ms-apimTemplateParameter.name: '%zz' is not valid percent-encoding",
    );
  });

  it('a policySection the template does not run in (schema enums; none for pollingtrigger)', () => {
    const where = "apiProperties.json: policy 'S' (policyTemplateInstances[0]), x-ms-apimTemplate-policySection:";
    // setheader: the schema's Request-Response-Failure enum.
    expect(load({ templateId: 'setheader', title: 'S', parameters: { [`${P}name`]: 'a', [`${P}value`]: 'b', 'x-ms-apimTemplate-policySection': 'Outbound' } })).toThrow(`${where} must be one of request, response, failure for this template, got 'Outbound'`);
    // setqueryparameter: no policySection in the schema; it runs in Request only.
    expect(load({ templateId: 'setqueryparameter', title: 'S', parameters: { [`${P}name`]: 'a', [`${P}value`]: 'b', 'x-ms-apimTemplate-policySection': 'Response' } })).toThrow(`${where} must be one of request for this template, got 'Response'`);
    // setproperty: the schema's Request-Response enum.
    expect(load({ templateId: 'setproperty', title: 'S', parameters: { [`${P}newPropertyParentPathTemplate`]: '@body()', [`${P}newPropertySubPathTemplate`]: 'a', [`${P}propertyValuePathTemplate`]: 'b', 'x-ms-apimTemplate-policySection': 'Failure' } })).toThrow(
      `${where} must be one of request, response for this template, got 'Failure'`,
    );
    expect(load({ templateId: 'pollingtrigger', title: 'S', parameters: { ...ops('OnChange'), [`${P}triggerConfig`]: {}, [`${P}triggerDataPath`]: '@triggerBody().value', 'x-ms-apimTemplate-policySection': 'Request' } })).toThrow(`${where} does not apply to this template, got 'Request'`);
  });

  it('a missing required template parameter', () => {
    expect(load({ templateId: 'updatenextlink', title: 'U', parameters: {} })).toThrow("policy 'U' (policyTemplateInstances[0]), x-ms-apimTemplateParameter.nextLinkPropertyName: is required");
  });

  it('a package folder without its files', () => {
    expect(() => ConnectorRuntime.load('/nonexistent-folder')).toThrow(PackageError);
    expect(() => ConnectorRuntime.load('/nonexistent-folder')).toThrow(/apiDefinition\.swagger\.json: file: cannot be read from \/nonexistent-folder \(ENOENT\)/);
  });
});
