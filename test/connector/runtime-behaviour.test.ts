/**
 * The checking logic of `npm run runtime:corpus` (scripts/lib/runtime-behaviour.ts) on
 * fixtures: the request checks on requests the old runtime really sent (corpus HYAS Insight,
 * WooCommerce, Nosco, quoted in issue 19), input generation, and whole-package measurement.
 */
import { describe, expect, it } from 'vitest';
import {
  checkRequest,
  doubledSegments,
  exceptions,
  figuresByTemplate,
  measurePackage,
  sampleValue,
  unevaluatedExpressions,
  urlUses,
  type Expectation,
  type RecordedRequest,
} from '../../scripts/lib/runtime-behaviour.js';

const request = (url: string, headers: Record<string, string> = {}, text?: string): RecordedRequest => ({ method: 'GET', url, headers, text, body: text ? JSON.parse(text) : undefined });
const expect_ = (origin: string, path: string, extra: Partial<Expectation> = {}): Expectation => ({ origin, path, headers: {}, query: {}, ...extra });

describe('request checks', () => {
  // What the runtime sent for HYAS Insight before issue 19 (quoted in the issue).
  const hyasOld = "https://insight.hyas.com/api/ext/device_geo/search?@queryParameters('indicator_type')=@queryParameters('indicator_value')?indicator_type=ipv4&indicator_value=1.1.1.1";

  it('finds an expression left in the URL, and two "?"', () => {
    const anomalies = checkRequest(request(hyasOld), expect_('https://insight.hyas.com', '/api/ext/device_geo/search'));
    expect(anomalies.map((a) => a.check)).toEqual(expect.arrayContaining(['unevaluated-expression', 'question-marks']));
    expect(anomalies.find((a) => a.check === 'question-marks')!.detail).toMatch(/^2 '\?' in /);
  });

  it('finds expressions in headers and the body, by place; an e-mail address is not one', () => {
    const found = unevaluatedExpressions(request('https://a.test/x', { 'x-key': "@connectionParameters('k')", from: 'someone@example.test' }, '{"a":"@{workflow().run.name}","b":"x@y.z"}'));
    expect(found.map((a) => [a.where, a.place])).toEqual([
      ['header', 'x-key'],
      ['body', undefined],
    ]);
    expect(found[1]!.detail).toBe('the body holds an expression: @{workflow().run.name}');
  });

  it('finds a doubled basePath (WooCommerce before issue 19) and an empty segment; a trailing "/" is fine', () => {
    expect(doubledSegments('/wp-json/wc-powerautomate/v1/wp-json/wc-powerautomate/v1/resources')).toBe("'/wp-json/wc-powerautomate/v1' twice in a row in /wp-json/wc-powerautomate/v1/wp-json/wc-powerautomate/v1/resources");
    expect(doubledSegments('/api//items')).toBe("an empty segment ('//') in /api//items");
    expect(doubledSegments('/api/items/')).toBeUndefined();
    expect(doubledSegments('/v1/items/1/items')).toBeUndefined();
  });

  it('a doubling the swagger path itself has is not held against the request', () => {
    expect(checkRequest(request('https://a.test/items/items'), expect_('https://a.test', '/items/items'))).toEqual([]);
  });

  it('compares scheme, host and path with what the templates imply', () => {
    const anomalies = checkRequest(request('https://we.buildbettersoftware.com/wp-json/wc-powerautomate/v1/wp-json/wc-powerautomate/v1/resources'), expect_('https://shop.example', '/wp-json/wc-powerautomate/v1/resources'));
    expect(anomalies.map((a) => a.check)).toEqual(['host', 'doubled-segment', 'path']);
  });

  it('compares headers and query with what the instances and the credential say (Nosco before issue 19: a Bearer, no X-API-Key)', () => {
    const sent = request('https://nos.co/ideas?top=5', { authorization: 'Bearer token' });
    const anomalies = checkRequest(sent, expect_('https://nos.co', '/ideas', { headers: { 'x-api-key': 'k' }, query: { top: '5', key: /^k-/ } }));
    expect(anomalies.map((a) => `${a.check} ${a.place}`)).toEqual(['header x-api-key', 'query key']);
  });
});

describe('generated inputs', () => {
  it('takes scalar defaults and enums that fit the type, else a value of the type and format', () => {
    const def = { definitions: { Thing: { type: 'object', required: ['id', 'orphan'], properties: { id: { type: 'integer' }, when: { type: 'string', format: 'date-time' }, flag: { type: 'boolean', enum: ['true', 'false'] } }, default: { id: null } } } };
    expect(sampleValue(def, { $ref: '#/definitions/Thing' }, 'thing')).toEqual({ id: 1, when: '2024-01-02T03:04:05Z', flag: true, orphan: 'v-orphan' });
    expect(sampleValue({}, { type: 'string', default: 'abc' }, 'x')).toBe('abc');
    expect(sampleValue({}, { type: 'integer', default: '1' }, 'x')).toBe(1);
    expect(sampleValue({}, { type: 'string', enum: ['ipv4', 'ipv6'] }, 'x')).toBe('ipv4');
  });

  it("keeps a generated value within its schema's length and range, which the runtime checks (corpus constraints)", () => {
    // Blackbaud Raiser's Edge NXT market_finder_number (maxLength 19), intelliHR person.id
    // (minLength 36), CognitiveServicesQuestionAnswering confidenceScoreThreshold (maximum 1).
    expect(sampleValue({}, { type: 'string', maxLength: 19 }, 'market_finder_number')).toBe('v-marketfindernumbe');
    expect(sampleValue({}, { type: 'string', minLength: 36 }, 'id')).toHaveLength(36);
    expect(sampleValue({}, { type: 'number', minimum: 0, maximum: 1 }, 'x')).toBe(0);
    expect(sampleValue({}, { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true }, 'x')).toBe(0.5);
    expect(sampleValue({}, { type: 'integer', minimum: 5 }, 'x')).toBe(5);
    expect(sampleValue({}, { type: 'integer', maximum: 0, exclusiveMaximum: true }, 'x')).toBe(-1);
    expect(sampleValue({}, { type: 'integer', minimum: 0, maximum: 10 }, 'x')).toBe(1);
    // intelliHR currency: the pattern ^[A-Z]{3}$, and the schema's example AUD matches it.
    expect(sampleValue({}, { type: 'string', pattern: '^[A-Z]{3}$', example: 'AUD' }, 'currency')).toBe('AUD');
    expect(sampleValue({}, { type: 'string', pattern: '^v-', example: 'AUD' }, 'currency')).toBe('v-currency');
  });

  it('reads how host templates use values: a whole URL, a host, a label', () => {
    const uses = urlUses(["@connectionParameters('siteUrl')/api", "https://@connectionParameters('host')", "https://@headers('tenant').example.net", "https://x.test/@queryParameters('path')"]);
    expect(Object.fromEntries(uses)).toEqual({ 'connectionparameters:siteurl': 'url', 'connectionparameters:host': 'host', 'headers:tenant': 'label', 'queryparameters:path': 'text' });
    expect(sampleValue({}, { type: 'string' }, 'siteUrl', 'url')).toBe('https://siteurl.example.test');
  });
});

describe('measuring a package', () => {
  const definition = {
    swagger: '2.0',
    info: { title: 'Fixture' },
    host: 'api.fixture.test',
    basePath: '/v1',
    schemes: ['https'],
    securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    paths: {
      '/items': {
        get: { operationId: 'List', parameters: [{ name: 'q', in: 'query', type: 'string' }], responses: { 200: { description: 'ok', schema: { type: 'object', properties: { value: { type: 'array', items: { type: 'object' } } } } } } },
        post: { operationId: 'Create', parameters: [{ name: 'body', in: 'body', schema: { type: 'object', properties: { tags: { type: 'string' } } } }], responses: { 200: { description: 'ok' } } },
      },
    },
  };
  const P = 'x-ms-apimTemplateParameter.';
  const properties = (instances: unknown[]) => ({ properties: { connectionParameters: { api_key: { type: 'securestring' }, site: { type: 'string' } }, policyTemplateInstances: instances } });

  it('counts every instance applied when its requests are as the templates say', async () => {
    const result = await measurePackage('fixture', definition, properties([
      { templateId: 'dynamichosturl', title: 'Host', parameters: { [`${P}urlTemplate`]: "@connectionParameters('site')/v1" } },
      { templateId: 'setqueryparameter', title: 'Top', parameters: { [`${P}name`]: 'top', [`${P}value`]: '10', 'x-ms-apimTemplate-operationName': ['List'] } },
      { templateId: 'updatenextlink', title: 'Next', parameters: { [`${P}nextLinkPropertyName`]: 'nextLink', 'x-ms-apimTemplate-operationName': ['List'] } },
      { templateId: 'stringtoarray', title: 'Tags', parameters: { [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'tags', [`${P}delimiterList`]: ';', [`${P}childPropertyName`]: 'tag', [`${P}newPropertyPath`]: '@body().tagList', 'x-ms-apimTemplate-operationName': ['Create'] } },
    ]));
    expect(result.credential).toBe("apiKey in header 'X-Key' from connection parameter 'api_key'");
    expect(result.instances.map((i) => [i.title, i.loaded, i.anomalies])).toEqual([
      ['Host', true, []],
      ['Top', true, []],
      ['Next', true, []],
      ['Tags', true, []],
    ]);
    expect(figuresByTemplate([result])).toEqual({
      dynamichosturl: { instances: 1, loaded: 1, applied: 1 },
      setqueryparameter: { instances: 1, loaded: 1, applied: 1 },
      updatenextlink: { instances: 1, loaded: 1, applied: 1 },
      stringtoarray: { instances: 1, loaded: 1, applied: 1 },
    });
  });

  it('holds a run-time failure against the instance that caused it and names it (corpus Jupyrest: an undeclared connection parameter)', async () => {
    const result = await measurePackage('fixture', definition, properties([{ templateId: 'dynamichosturl', title: 'Host', parameters: { [`${P}urlTemplate`]: "@connectionParameters('jupyrestinstance')/api" } }]));
    expect(result.instances[0]!.anomalies.map((a) => a.operation)).toEqual(['List', 'Create']);
    expect(exceptions([result])).toEqual([
      "fixture: policy 'Host' (dynamichosturl): 2 anomalies on 2 operation(s); run: Policy 'Host' (dynamichosturl): the expression @connectionParameters('jupyrestinstance'): the request has no connection parameter 'jupyrestinstance' and the expression gives no default.",
    ]);
  });

  it('measures the instances of a refused package that load alone, and names the refused one', async () => {
    const result = await measurePackage('fixture', definition, properties([
      { templateId: 'setheader', title: 'Ok', parameters: { [`${P}name`]: 'X-Source', [`${P}value`]: 'corpus' } },
      { templateId: 'setheader', title: 'Missing op', parameters: { [`${P}name`]: 'X-A', [`${P}value`]: 'a', 'x-ms-apimTemplate-operationName': ['Gone'] } },
    ]));
    expect(result.loaded).toBe(false);
    expect(result.instances.map((i) => [i.title, i.loaded, i.anomalies.length])).toEqual([
      ['Ok', true, 0],
      ['Missing op', false, 0],
    ]);
    expect(exceptions([result])[0]).toContain("fixture: policy 'Missing op' (setheader): not loaded: apiProperties.json: policy 'Missing op' (policyTemplateInstances[0]), x-ms-apimTemplate-operationName: names operation 'Gone'");
  });

  it('a flow-engine expression in a swagger default is a package anomaly with its cause, not an instance one', async () => {
    const withDefault = structuredClone(definition) as unknown as { paths: Record<string, Record<string, { parameters: unknown[] }>> };
    withDefault.paths['/items']!.post!.parameters = [{ name: 'body', in: 'body', schema: { type: 'object', properties: { Workflow: { type: 'string', default: '@{workflow()}', 'x-ms-visibility': 'internal' } } } }];
    const result = await measurePackage('fixture', withDefault as unknown as Record<string, unknown>, properties([{ templateId: 'setheader', title: 'Ok', parameters: { [`${P}name`]: 'X-Source', [`${P}value`]: 'corpus' } }]));
    expect(result.instances[0]!.anomalies).toEqual([]);
    expect(result.packageAnomalies.map((a) => a.detail)).toEqual(['a swagger default holds the flow-engine expression @{workflow()} (workflow definition language, evaluated by the flow engine before the connector is called; not modelled)']);
  });
});
