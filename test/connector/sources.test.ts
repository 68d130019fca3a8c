/**
 * The behaviours an independent review found contradicting their sources (issue 19's table),
 * one describe per row, each expecting what its source says: a Learn page's example, Microsoft's
 * paconn-apiProperties.schema.json, or the request a named corpus package needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { FlowRunError, PackageError, parsePackage } from '../../src/connector-runtime/index.js';
import { prerequisites } from '../prerequisites.js';
import { oneOperation, P, recording, throughTemplate } from './recording.js';

const SCHEMA = new URL('../../../shared/schemas/paconn-apiProperties.schema.json', import.meta.url);

const people = [
  { Name: 'XYZ', Age: '30' },
  { Name: 'ABC', Age: '23' },
];

describe('routerequesttoendpoint: newPath expressions (Learn examples in documented-examples.test.ts)', () => {
  it('corpus HYAS Insight: the query in newPath joins the request query behind one "?", the key header and the appended User-Agent go out', async () => {
    const definition = oneOperation(
      '/device_geo',
      'get',
      {
        operationId: 'MobileGeolocation',
        parameters: [
          { in: 'query', name: 'indicator_type', type: 'string', required: true, enum: ['ipv4', 'ipv6'] },
          { in: 'query', name: 'indicator_value', type: 'string', required: true },
        ],
      },
      { host: 'insight.hyas.com', basePath: '/api/ext/', securityDefinitions: { 'API Key': { type: 'apiKey', in: 'header', name: 'X-API-Key' } }, security: [{ 'API Key': [] }] },
    );
    const { conn, sent } = recording({
      definition,
      declared: { api_key: { type: 'securestring' } },
      policies: [
        {
          templateId: 'routerequesttoendpoint',
          title: 'MobileGeolocation Policy',
          parameters: { [`${P}newPath`]: "/device_geo/search?@queryParameters('indicator_type')=@queryParameters('indicator_value')", [`${P}httpMethod`]: '@Request.OriginalHTTPMethod', 'x-ms-apimTemplate-operationName': ['MobileGeolocation'] },
        },
        { templateId: 'setheader', title: 'User_Agent_Policy', parameters: { [`${P}name`]: 'User-Agent', [`${P}value`]: 'Microsoft Sentinel', [`${P}existsAction`]: 'append', 'x-ms-apimTemplate-policySection': 'Request' } },
      ],
      options: { connectionParameters: { api_key: 'hyas-key' } },
    });
    await conn.invoke('MobileGeolocation', { indicator_type: 'ipv4', indicator_value: '8.8.8.8' });
    const { url, method, headers } = sent[0]!;
    expect(method).toBe('GET');
    expect(url).toBe('https://insight.hyas.com/api/ext/device_geo/search?indicator_type=ipv4&indicator_value=8.8.8.8&ipv4=8.8.8.8');
    expect(url.split('?')).toHaveLength(2);
    expect(headers['x-api-key']).toBe('hyas-key');
    expect(headers.authorization).toBeUndefined();
    // setheader append onto the platform's User-Agent (platform-headers.ts); API Management sends
    // appended User-Agent values as separate lines, which fetch joins with ", ".
    expect(headers['user-agent']).toBe('azure-logic-apps/1.0 (workflow local-workflow; version 1), Microsoft Sentinel');
  });
});

describe('dynamichosturl: the template replaces scheme, host and basePath', () => {
  const woo = (urlTemplate: string, basePath: string) =>
    recording({
      definition: oneOperation('/resources', 'get', { operationId: 'GetResources' }, { host: 'we.buildbettersoftware.com', basePath }),
      policies: [{ templateId: 'dynamichosturl', title: 'h', parameters: { [`${P}urlTemplate`]: urlTemplate } }],
      options: { connectionParameters: { wpSiteUrl: 'https://shop.example' } },
    });

  it('corpus WooCommerce: the basePath inside urlTemplate is not doubled', async () => {
    const { conn, sent } = woo("@connectionParameters('wpSiteUrl')/wp-json/wc-powerautomate/v1", '/wp-json/wc-powerautomate/v1');
    await conn.invoke('GetResources');
    expect(sent[0]!.url).toBe('https://shop.example/wp-json/wc-powerautomate/v1/resources');
  });

  it('MicrosoftDocs connectors issue 294: a host-only template drops the basePath ("Base URL is no longer used")', async () => {
    const ok = recording({
      definition: oneOperation('/incidents', 'get', { operationId: 'List' }, { host: 'changemepls.topdesk.net', basePath: '/tas/api' }),
      policies: [{ templateId: 'dynamichosturl', title: 'h', parameters: { [`${P}urlTemplate`]: "https://@connectionParameters('TOPdeskTenant').topdesk.net" } }],
      options: { connectionParameters: { TOPdeskTenant: 'acme' } },
    });
    await ok.conn.invoke('List');
    expect(ok.sent[0]!.url).toBe('https://acme.topdesk.net/incidents');
  });
});

describe('setqueryparameter: existsAction append (Learn "append: Appends the value from policy template to existing value"; schema enum)', () => {
  const run = async (q: string | undefined) => {
    const definition = oneOperation('/items', 'get', { operationId: 'List', parameters: [{ name: 'q', in: 'query', type: 'string' }] });
    const { conn, sent } = recording({ definition, policies: [{ templateId: 'setqueryparameter', title: 'q', parameters: { [`${P}name`]: 'q', [`${P}value`]: 'policy', [`${P}existsAction`]: 'append' } }] });
    await conn.invoke('List', q === undefined ? {} : { q });
    return new URL(sent[0]!.url).searchParams.getAll('q');
  };
  it('appends to the flow value (joined with ",", the separator API Management uses for headers: assumption)', async () => {
    expect(await run('mine')).toEqual(['mine,policy']);
  });
  it('sets the value when there is none', async () => {
    expect(await run(undefined)).toEqual(['policy']);
  });
});

describe('convertarraytoobject: retainKey defaults to true, subPath may be empty (Learn page and schema)', () => {
  const retained = { XYZ: { Name: 'XYZ', Age: '30' }, ABC: { Name: 'ABC', Age: '23' } };
  it('the Learn example without retainKey keeps the key in each value ("true (which is the default if left empty)")', async () => {
    const out = await throughTemplate('convertarraytoobject', { [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'peopleArray', [`${P}keyWithinCollectionPath`]: 'Name', [`${P}newPropertyPath`]: 'peopleObject' }, { peopleArray: people });
    expect(out).toEqual({ peopleArray: people, peopleObject: retained });
  });
  it('no subPath: the parent is the array ("You can leave the subPath empty if the parent is the array")', async () => {
    const out = await throughTemplate('convertarraytoobject', { [`${P}propertyParentPath`]: '@body().peopleArray', [`${P}keyWithinCollectionPath`]: 'Name', [`${P}newPropertyPath`]: '@body().peopleObject' }, { peopleArray: people });
    expect(out).toEqual({ peopleArray: people, peopleObject: retained });
  });
  it('the schema default "null" for propertySubPath means none too', async () => {
    const out = await throughTemplate('convertarraytoobject', { [`${P}propertyParentPath`]: '@body().peopleArray', [`${P}propertySubPath`]: 'null', [`${P}keyWithinCollectionPath`]: 'Name', [`${P}newPropertyPath`]: '@body().peopleObject', [`${P}retainKey`]: 'false' }, { peopleArray: people });
    expect(out).toEqual({ peopleArray: people, peopleObject: { XYZ: { Age: '30' }, ABC: { Age: '23' } } });
  });
});

describe('convertobjecttoarray: keyName defaults to "key", valueName to "value" (schema)', () => {
  it('loads without them and uses the defaults', async () => {
    const out = await throughTemplate('convertobjecttoarray', { [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'peopleObject', [`${P}newPropertyPath`]: '@body().peopleArray' }, { peopleObject: { XYZ: { Age: '30' } } });
    expect(out).toEqual({ peopleObject: { XYZ: { Age: '30' } }, peopleArray: [{ key: 'XYZ', value: { Age: '30' } }] });
  });
});

describe('setvaluefromurl: the Response section (schema: policySection Request or Response)', () => {
  it('reads the value after the answer and sets it as a header of the answer', async () => {
    const definition = oneOperation('/tasks/{id}', 'get', { operationId: 'Get', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }] });
    const { conn, sent } = recording({
      definition,
      policies: [
        {
          templateId: 'setvaluefromurl',
          title: 'v',
          parameters: { [`${P}parameterTemplate`]: "@headers('ETag')", [`${P}parameterValueUrl`]: '/tasks/{id}/details', [`${P}parameterValuePathTemplate`]: "@body()['@odata.etag']", 'x-ms-apimTemplate-policySection': 'Response' },
        },
      ],
      answer: (req) => (req.url.endsWith('/details') ? { body: { '@odata.etag': 'W/"9"' } } : { body: { id: '3' } }),
    });
    const res = await conn.invoke('Get', { id: '3' });
    expect(sent.map((s) => s.url)).toEqual(['https://api.example.com/tasks/3', 'https://api.example.com/tasks/3/details']);
    expect(res.headers.etag).toBe('W/"9"');
  });
  it('refuses @queryParameters in the Response section, naming the field', () => {
    const definition = oneOperation('/tasks/{id}', 'get', { operationId: 'Get', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }] });
    expect(() =>
      parsePackage(definition, { properties: { policyTemplateInstances: [{ templateId: 'setvaluefromurl', title: 'V', parameters: { [`${P}parameterTemplate`]: "@queryParameters('x')", [`${P}parameterValueUrl`]: '/a', [`${P}parameterValuePathTemplate`]: '@body().a', 'x-ms-apimTemplate-policySection': 'Response' } }] } }),
    ).toThrow("policy 'V' (policyTemplateInstances[0]), x-ms-apimTemplateParameter.parameterTemplate: must be @headers('name') in the Response section");
  });
});

describe('updatenextlink: nextLinkParentPropertyPath (schema)', () => {
  it('rewrites the link inside the object the parent path names', async () => {
    const definition = oneOperation('/items', 'get', { operationId: 'List' }, { basePath: '/v1' });
    const { conn } = recording({
      definition,
      policies: [{ templateId: 'updatenextlink', title: 'u', parameters: { [`${P}nextLinkPropertyName`]: 'next', [`${P}nextLinkParentPropertyPath`]: '@body().paging' } }],
      answer: () => ({ body: { value: [1], paging: { next: 'https://api.example.com/v1/items?page=2' }, next: 'https://api.example.com/v1/untouched' } }),
    });
    const res = await conn.invoke('List');
    expect(res.body).toEqual({ value: [1], paging: { next: 'https://gateway.test/apim/test/c1/items?page=2' }, next: 'https://api.example.com/v1/untouched' });
  });
});

describe('Pagination threshold: whole pages (Logic Apps, "Get more data ... by using pagination")', () => {
  it("the docs' example: 10,000 records, 2,048 per page, threshold 5,000 gives 6,144 records in 3 pages", async () => {
    const definition = oneOperation('/rows', 'get', { operationId: 'GetRows', parameters: [{ name: 'skip', in: 'query', type: 'integer' }], 'x-ms-pageable': { nextLinkName: 'nextLink' } });
    const { conn, sent } = recording({
      definition,
      policies: [{ templateId: 'updatenextlink', title: 'u', parameters: { [`${P}nextLinkPropertyName`]: 'nextLink' } }],
      answer: (req) => {
        const skip = Number(new URL(req.url).searchParams.get('skip') ?? 0);
        const value = Array.from({ length: Math.min(2048, 10_000 - skip) }, (_, i) => skip + i);
        return { body: { value, ...(skip + 2048 < 10_000 ? { nextLink: `https://api.example.com/rows?skip=${skip + 2048}` } : {}) } };
      },
    });
    const res = await conn.invokeAll('GetRows', {}, { threshold: 5000 });
    expect((res.body as { value: number[] }).value).toHaveLength(6144);
    expect(res.pages).toBe(3);
    expect(sent).toHaveLength(3);
  });
});

describe('x-ms-pageable: nextLinkName is required (apiDefinition.swagger.schema.json, microsoft/PowerPlatformConnectors)', () => {
  it('refuses a pageable operation without it, naming the operation', () => {
    expect(() => parsePackage(oneOperation('/rows', 'get', { operationId: 'GetRows', 'x-ms-pageable': {} }), {})).toThrow("apiDefinition.swagger.json: operation 'GetRows', x-ms-pageable.nextLinkName: is required");
  });
});

describe('connection credentials: what securityDefinitions declare, with connection parameter values (Learn "Specify connection parameters")', () => {
  const op = (extra: Record<string, unknown>) => oneOperation('/ideas', 'get', { operationId: 'List' }, extra);
  const first = async (extra: Record<string, unknown>, declared: Record<string, unknown> | undefined, options: Record<string, unknown>) => {
    const { conn, sent } = recording({ definition: op(extra), declared, options });
    await conn.invoke('List');
    return { url: sent[0]!.url, headers: sent[0]!.headers };
  };

  it('corpus Nosco: an API key in the X-API-Key header from api_key, no Bearer', async () => {
    const r = await first({ securityDefinitions: { APIKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' } }, security: [{ APIKeyHeader: [] }] }, { api_key: { type: 'securestring' }, platform_host: { type: 'string' } }, { connectionParameters: { api_key: 'k-1', platform_host: 'x' } });
    expect(r.headers['x-api-key']).toBe('k-1');
    expect(r.headers.authorization).toBeUndefined();
  });
  it('corpus CiviQ: an API key in the query under its declared name (api-key)', async () => {
    const r = await first({ securityDefinitions: { 'API Key': { type: 'apiKey', in: 'query', name: 'api-key' } } }, { api_key: { type: 'securestring' } }, { connectionParameters: { api_key: 'k-2' } });
    expect(new URL(r.url).searchParams.get('api-key')).toBe('k-2');
    expect(r.headers.authorization).toBeUndefined();
  });
  it('corpus ActiveCampaign: the only securestring parameter supplies the key when none is named api_key', async () => {
    const r = await first({ securityDefinitions: { 'API Key': { type: 'apiKey', in: 'header', name: 'Api-Token' } } }, { apiKey: { type: 'securestring' }, hostName: { type: 'string' } }, { connectionParameters: { apiKey: 'k-3', hostName: 'h' } });
    expect(r.headers['api-token']).toBe('k-3');
  });
  it('basic: Authorization Basic base64(username:password) (RFC 7617)', async () => {
    const r = await first({ securityDefinitions: { basic: { type: 'basic' } } }, { username: { type: 'securestring' }, password: { type: 'securestring' } }, { connectionParameters: { username: 'Aladdin', password: 'open sesame' } });
    expect(r.headers.authorization).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
  it('oauth2: Bearer with the connection token', async () => {
    const r = await first({ securityDefinitions: { oauth2: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} } } }, { token: { type: 'oauthSetting' } }, { token: 'tok' });
    expect(r.headers.authorization).toBe('Bearer tok');
  });
  it('none: no credential at all, even when a token is given', async () => {
    const r = await first({}, undefined, { token: 'tok' });
    expect(r.headers.authorization).toBeUndefined();
  });
  it('no securityDefinitions but an oauthSetting parameter (corpus AzureAD, Planner): Bearer (assumption)', async () => {
    const r = await first({}, { token: { type: 'oauthSetting' } }, { token: 'tok' });
    expect(r.headers.authorization).toBe('Bearer tok');
  });
  it('corpus AvePoint Cloud Governance: a basic scheme no connection parameter supplies gives way to the oauthSetting sign-in (assumption)', async () => {
    const r = await first({ securityDefinitions: { Basic: { type: 'basic' } }, security: [{ Basic: [] }] }, { token: { type: 'oauthSetting' } }, { token: 'tok' });
    expect(r.headers.authorization).toBe('Bearer tok');
  });
  it('corpus Vonage: basic with no connection parameters declared takes username and password', async () => {
    const r = await first({ securityDefinitions: { basic_auth: { type: 'basic' } } }, undefined, { connectionParameters: { username: 'Aladdin', password: 'open sesame' } });
    expect(r.headers.authorization).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
  it('corpus GetAccept: of the declared schemes, the first its connection parameters supply (OAuth over an Authorization API key no parameter supplies)', async () => {
    const declaredSchemes = { securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'Authorization' }, oauth2: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} } } };
    const r = await first(declaredSchemes, { token: { type: 'oauthSetting' }, region: { type: 'string' } }, { token: 'tok', connectionParameters: { region: 'eu' } });
    expect(r.headers.authorization).toBe('Bearer tok');
    // With both supplied, the scheme the top-level security names comes first.
    const both = { token: { type: 'oauthSetting' }, api_key: { type: 'securestring' } };
    const values = { token: 'tok', connectionParameters: { api_key: 'k' } };
    expect((await first({ ...declaredSchemes, security: [{ oauth2: [] }] }, both, values)).headers.authorization).toBe('Bearer tok');
    // Otherwise declaration order.
    expect((await first(declaredSchemes, both, values)).headers.authorization).toBe('k');
  });
  it('an API key declared in neither header nor query refuses the package, naming the scheme', () => {
    expect(() => parsePackage(op({ securityDefinitions: { k: { type: 'apiKey', in: 'cookie', name: 'key' } } }), {})).toThrow('apiDefinition.swagger.json: securityDefinitions.k, in: must be header or query for an API key, got "cookie"');
  });
  it('a connection without the values its credential needs is refused, naming them', () => {
    const definition = op({ securityDefinitions: { k: { type: 'apiKey', in: 'header', name: 'X-Key' } } });
    expect(() => recording({ definition, declared: { api_key: { type: 'securestring' } } })).toThrow(FlowRunError);
    expect(() => recording({ definition, declared: { api_key: { type: 'securestring' } } })).toThrow("The connection needs the connection parameter 'api_key' for the API key of securityDefinitions 'k'.");
  });
});

describe('assumptions on expressions in host templates and side requests (README "Templates", "Expressions")', () => {
  const list = (policies: unknown[], connectionParameters: Record<string, unknown> = {}, answer?: Parameters<typeof recording>[0]['answer']) =>
    recording({ definition: oneOperation('/items', 'get', { operationId: 'List', parameters: [{ name: 'top', in: 'query', type: 'integer' }] }), policies, options: { connectionParameters }, answer });

  it('connection parameter names match case-insensitively (corpus EBMS, Impexium, TranslatorV3, Tulip)', async () => {
    const { conn, sent } = list([{ templateId: 'dynamichosturl', title: 'h', parameters: { [`${P}urlTemplate`]: "@connectionParameters('HostUrl')/api" } }], { hostUrl: 'https://tenant.example' });
    await conn.invoke('List');
    expect(sent[0]!.url).toBe('https://tenant.example/api/items');
  });
  it("dynamichosturl: a query in the rendered URL joins the request's query (corpus dox42); a rendered value that is not a URL is a 400 naming the expression", async () => {
    const withQuery = list([{ templateId: 'dynamichosturl', title: 'h', parameters: { [`${P}urlTemplate`]: "@connectionParameters('server')" } }], { server: 'https://dox.example/api?code=abc' });
    await withQuery.conn.invoke('List', { top: 2 });
    expect(withQuery.sent[0]!.url).toBe('https://dox.example/api/items?top=2&code=abc');
    const broken = list([{ templateId: 'dynamichosturl', title: 'Broken host', parameters: { [`${P}urlTemplate`]: "@connectionParameters('server')" } }], { server: 'https://exa mple' });
    const res = await broken.conn.invoke('List');
    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toBe("Policy 'Broken host' (dynamichosturl): the expression @connectionParameters('server'): gives 'https://exa mple', which is not a URL.");
    expect(broken.sent).toEqual([]);
  });
  it('setvaluefromurl: a side request that fails is a 400 naming it, and the call is not sent', async () => {
    const { conn, sent } = list(
      [{ templateId: 'setvaluefromurl', title: 'Etag', parameters: { [`${P}parameterTemplate`]: "@headers('If-Match')", [`${P}parameterValueUrl`]: '/etag', [`${P}parameterValuePathTemplate`]: '@body().etag' } }],
      {},
      () => ({ status: 404, body: { error: 'gone' } }),
    );
    const res = await conn.invoke('List');
    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toBe("Policy 'Etag' (setvaluefromurl): the expression @body().etag: the side request GET https://api.example.com/etag answered 404.");
    expect(sent.map((s) => s.url)).toEqual(['https://api.example.com/etag']);
  });
});

describe('setheader append onto the platform headers', () => {
  it('the platform sends its headers (platform-headers.ts) before policies; skip keeps them, append extends them', async () => {
    const { conn, sent } = recording({
      definition: oneOperation('/items', 'get', { operationId: 'List' }),
      policies: [
        { templateId: 'setheader', title: 'a', parameters: { [`${P}name`]: 'x-ms-client-request-id', [`${P}value`]: 'mine', [`${P}existsAction`]: 'skip' } },
        { templateId: 'setheader', title: 'b', parameters: { [`${P}name`]: 'x-ms-workflow-name', [`${P}value`]: 'extra', [`${P}existsAction`]: 'append' } },
      ],
      options: { run: { workflowName: 'referrals-sync' } },
    });
    await conn.invoke('List');
    expect(sent[0]!.headers['x-ms-client-request-id']).toBe('request-1');
    expect(sent[0]!.headers['x-ms-workflow-name']).toBe('referrals-sync,extra');
    expect(sent[0]!.headers['x-ms-workflow-operation-name']).toBe('List');
  });
});

const schemaTitle = 'template parameters of paconn-apiProperties.schema.json';
const schemaAvailable = prerequisites(schemaTitle, [!existsSync(SCHEMA) && `${SCHEMA.pathname} is missing (it ships beside the checkout as shared/schemas)`]);

describe.skipIf(!schemaAvailable)(schemaTitle, () => {
  it("each template accepts exactly the parameters of its schema definition (policies.ts PARAMETERS; the README's \"Loading\")", () => {
    // The schema is JSON5 (comments), as validate-package.mjs reads it.
    const byTemplate = new Map<string, string[]>();
    const visit = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, { enum?: string[]; properties?: Record<string, unknown> }> }).properties;
      if (props?.templateId?.enum && props.parameters?.properties) {
        byTemplate.set(props.templateId.enum[0]!.toLowerCase(), Object.keys(props.parameters.properties).filter((k) => k.startsWith(P)));
      }
      Object.values(node).forEach(visit);
    };
    visit(JSON5.parse(readFileSync(SCHEMA, 'utf8')));
    expect([...byTemplate.keys()].sort()).toEqual(['convertarraytoobject', 'convertobjecttoarray', 'dynamichosturl', 'encodepropertyvalue', 'pollingtrigger', 'routerequesttoendpoint', 'setheader', 'setproperty', 'setqueryparameter', 'setvaluefromurl', 'stringreplace', 'stringtoarray', 'updatenextlink']);
    const everyName = [...new Set([...byTemplate.values()].flat())];
    const definition = oneOperation('/items', 'get', { operationId: 'List' });
    const refusal = (templateId: string, name: string): string | undefined => {
      try {
        parsePackage(definition, { properties: { policyTemplateInstances: [{ templateId, title: 't', parameters: { [name]: 'x' } }] } });
        return undefined;
      } catch (err) {
        return (err as Error).message; // other refusals (a required parameter missing) are not the point here
      }
    };
    for (const [templateId, names] of byTemplate) {
      for (const name of everyName) {
        const refused = refusal(templateId, name)?.includes(`${name}: is not a parameter of the ${templateId} template`) ?? false;
        expect(refused, `${templateId} ${name}`).toBe(!names.includes(name));
      }
    }
  });
});

describe('bad input', () => {
  it('a template parameter the runtime does not model refuses the package, naming the file, the policy title and the parameter', () => {
    const definition = oneOperation('/items', 'get', { operationId: 'List' });
    const load = (parameters: Record<string, unknown>) => () => parsePackage(definition, { properties: { policyTemplateInstances: [{ templateId: 'convertobjecttoarray', title: 'Flatten', parameters }] } });
    const base = { [`${P}propertyParentPath`]: '@body()', [`${P}newPropertyPath`]: '@body().x' };
    // The convertobjecttoarray page mentions "Retain key", but the schema has no retainKey for it.
    expect(load({ ...base, [`${P}retainKey`]: 'true' })).toThrow(PackageError);
    expect(load({ ...base, [`${P}retainKey`]: 'true' })).toThrow("apiProperties.json: policy 'Flatten' (policyTemplateInstances[0]), x-ms-apimTemplateParameter.retainKey: is not a parameter of the convertobjecttoarray template that this runtime models");
    expect(load({ ...base, 'x-ms-somethingElse': 1 })).toThrow("policy 'Flatten' (policyTemplateInstances[0]), x-ms-somethingElse: is not a parameter");
  });

  it('an expression that finds nothing at run time is a 400 naming the policy and the expression, and nothing is sent', async () => {
    const definition = oneOperation('/items', 'get', { operationId: 'List', parameters: [{ name: 'region', in: 'header', type: 'string' }] });
    const { conn, sent } = recording({ definition, policies: [{ templateId: 'dynamichosturl', title: 'Region host', parameters: { [`${P}urlTemplate`]: "https://r@headers('Region')-api.example.com" } }] });
    const res = await conn.invoke('List');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'PolicyExpressionFailed', message: "Policy 'Region host' (dynamichosturl): the expression @headers('Region'): the request has no header 'Region' and the expression gives no default." } });
    expect(sent).toEqual([]);
    await conn.invoke('List', { region: 'eu' });
    expect(sent[0]!.url).toBe('https://reu-api.example.com/items');
  });
});
