/**
 * Every example the policy-template pages and the expressions docs give, with the page's input
 * and expected output, run through the runtime (src/connector-runtime/README.md lists each one
 * with its page). Pages are quoted as stored in the search corpus; where a page's text has a
 * typo the test says so. Templates with no reachable page or no example are listed in the README.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, render, ExpressionEvaluationError } from '../../src/connector-runtime/index.js';
import { oneOperation, P, recording, throughTemplate } from './recording.js';

const LEARN = 'https://learn.microsoft.com/en-us/connectors/custom-connectors/policy-templates';

describe(`routerequesttoendpoint (${LEARN}/routerequesttoendpoint/routerequesttoendpoint)`, () => {
  // "Let's look at some examples that use the following parameters. headers: test=foo;
  // queryParameters: version=v2". {id} on the page is the operation's id (7 here).
  const route = (operationPath: string, newPath: string) => {
    const definition = oneOperation(operationPath, 'get', {
      operationId: 'Get',
      parameters: [
        { name: 'id', in: 'path', required: true, type: 'string' },
        { name: 'version', in: 'query', type: 'string' },
        { name: 'test', in: 'header', type: 'string' },
      ],
    }, { host: 'test.abc.xyz' });
    return recording({ definition, policies: [{ templateId: 'routerequesttoendpoint', title: 'r', parameters: { [`${P}newPath`]: newPath } }] });
  };
  it.each([
    ['example 1', '/v2/get/{id}', '/get/{id}', 'https://test.abc.xyz/get/7'],
    ['example 2', '/get/{id}', "/@queryParameters('version')/get/{id}", 'https://test.abc.xyz/v2/get/7'],
    ['example 3', '/get/{id}', "/@header('version', 'v1')/get/{id}", 'https://test.abc.xyz/v1/get/7'],
  ])('%s: %s with newPath %s goes to %s', async (_n, operationPath, newPath, expected) => {
    const { conn, sent } = route(operationPath, newPath);
    await conn.invoke('Get', { id: '7', version: 'v2', test: 'foo' });
    const url = new URL(sent[0]!.url);
    expect(`${url.origin}${url.pathname}`).toBe(expected);
  });
});

describe(`dynamichosturl (${LEARN}/dynamichosturl/dynamichosturl)`, () => {
  // "headers: test=foo; port=1234 / connectionParameters: cat=bar; subPath=path / queryParameters: domain=pqr"
  it.each([
    ['example 1', "https://@header('test').abc.xyz:@header('port')", 'https://foo.abc.xyz:1234'],
    ['example 2', "https://@connectionParameters('cat').abc.xyz", 'https://bar.abc.xyz'],
    ['example 3', 'https://test.abc.xyz', 'https://test.abc.xyz'],
    ['example 4', "https://@header('test').abc.@queryParameters('domain')/@connectionParameters('subPath')", 'https://foo.abc.pqr/path'],
    ['example 5', "https://@header('test123', 'default').abc.xyz", 'https://default.abc.xyz'],
  ])('%s: %s gives the host URL %s', async (_n, urlTemplate, expected) => {
    const definition = oneOperation('/', 'get', {
      operationId: 'Get',
      parameters: [
        { name: 'test', in: 'header', type: 'string' },
        { name: 'port', in: 'header', type: 'string' },
        { name: 'domain', in: 'query', type: 'string' },
      ],
    });
    const { conn, sent } = recording({
      definition,
      policies: [{ templateId: 'dynamichosturl', title: 'h', parameters: { [`${P}urlTemplate`]: urlTemplate } }],
      options: { connectionParameters: { cat: 'bar', subPath: 'path' } },
    });
    await conn.invoke('Get', { test: 'foo', port: '1234', domain: 'pqr' });
    const url = new URL(sent[0]!.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${expected}/`);
  });
});

describe(`setheader (${LEARN}/setheader/setheader)`, () => {
  // "headers: test=foo / connectionParameters: cat=bar". The page writes typographic quotes.
  it.each([
    ['example 1', 'test', "@headers('test')moo", { test: 'foomoo' }],
    ['example 2', 'test', "moo@headers('test')", { test: 'moofoo' }],
    ['example 3', 'cat', '@connectionParameters(‘cat’, ‘’)', { test: 'foo', cat: 'bar' }],
    ['example 4', 'name', '@connectionParameters(‘name’, ‘’)', { test: 'foo', name: '' }],
  ])('%s: %s = %s gives %o', async (_n, name, value, expected) => {
    const definition = oneOperation('/items', 'get', { operationId: 'Get', parameters: [{ name: 'test', in: 'header', type: 'string' }] });
    const { conn, sent } = recording({
      definition,
      policies: [{ templateId: 'setheader', title: 's', parameters: { [`${P}name`]: name, [`${P}value`]: value, 'x-ms-apimTemplate-policySection': 'Request' } }],
      options: { connectionParameters: { cat: 'bar' } },
    });
    await conn.invoke('Get', { test: 'foo' });
    for (const [k, v] of Object.entries(expected)) expect(sent[0]!.headers[k]).toBe(v);
  });
});

describe(`setqueryparameter (${LEARN}/setqueryparameter/setqueryparameter)`, () => {
  // "headers: test=foo, name=123 / connectionParameters: cat=bar / queryParameters: domain=pqr"
  it.each([
    ['example 1', '@connectionParameters(‘cat’)', 'bar'],
    ['example 2', "@queryParameters('domain')@connectionParameters(‘cat’)", 'pqrbar'],
    ['example 3', "@connectionParameters('dog', 'default')", 'default'],
  ])('%s: domain = %s gives domain=%s', async (_n, value, expected) => {
    const definition = oneOperation('/items', 'get', {
      operationId: 'Get',
      parameters: [
        { name: 'test', in: 'header', type: 'string' },
        { name: 'name', in: 'header', type: 'string' },
        { name: 'domain', in: 'query', type: 'string' },
      ],
    });
    const { conn, sent } = recording({ definition, policies: [{ templateId: 'setqueryparameter', title: 'q', parameters: { [`${P}name`]: 'domain', [`${P}value`]: value } }], options: { connectionParameters: { cat: 'bar' } } });
    await conn.invoke('Get', { test: 'foo', name: '123', domain: 'pqr' });
    expect(new URL(sent[0]!.url).searchParams.getAll('domain')).toEqual([expected]);
  });
});

describe(`setproperty (${LEARN}/setproperty/setproperty)`, () => {
  const people = { peopleObject: { XYZ: { Age: '30' }, ABC: { Age: '23' } } };
  it('example 1: location = USA under @body().peopleObject (the page prints the untouched Age as "3;0", a typo)', async () => {
    const out = await throughTemplate('setproperty', { [`${P}newPropertyParentPathTemplate`]: '@body().peopleObject', [`${P}newPropertySubPathTemplate`]: 'location', [`${P}propertyValuePathTemplate`]: 'USA' }, people);
    expect(out).toEqual({ peopleObject: { location: 'USA', XYZ: { Age: '30' }, ABC: { Age: '23' } } });
  });
  it('example 2: age = 30 on each item of @body().people', async () => {
    const out = await throughTemplate('setproperty', { [`${P}newPropertyParentPathTemplate`]: '@body().people', [`${P}newPropertySubPathTemplate`]: 'age', [`${P}propertyValuePathTemplate`]: '30' }, { people: [{ name: 'xyz' }, { name: 'pqr' }] });
    expect(out).toEqual({ people: [{ name: 'xyz', age: '30' }, { name: 'pqr', age: '30' }] });
  });
  it('example 3: name = {@body().firstName} {@body().lastName}', async () => {
    const out = await throughTemplate('setproperty', { [`${P}newPropertyParentPathTemplate`]: '@body()', [`${P}newPropertySubPathTemplate`]: 'name', [`${P}propertyValuePathTemplate`]: '{@body().firstName} {@body().lastName}' }, { firstName: 'John', lastName: 'Smith' });
    expect(out).toEqual({ firstName: 'John', lastName: 'Smith', name: 'John Smith' });
  });
});

describe(`convertarraytoobject (${LEARN}/convertarraytoobject/convertarraytoobject)`, () => {
  it('example 1: peopleArray keyed by Name into peopleObject, retainKey false', async () => {
    const input = { peopleArray: [{ Name: 'XYZ', Age: '30' }, { Name: 'ABC', Age: '23' }] };
    const out = await throughTemplate('convertarraytoobject', { [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'peopleArray', [`${P}keyWithinCollectionPath`]: 'Name', [`${P}newPropertyPath`]: 'peopleObject', [`${P}retainKey`]: 'false' }, input);
    expect(out).toEqual({ ...input, peopleObject: { XYZ: { Age: '30' }, ABC: { Age: '23' } } });
  });
});

describe(`convertobjecttoarray (${LEARN}/convertobjecttoarray/convertobjecttoarray)`, () => {
  it('example 1: peopleObject into peopleArray of {Name, Details}', async () => {
    const input = { peopleObject: { XYZ: { Age: '30' }, ABC: { Age: '23' } } };
    const out = await throughTemplate('convertobjecttoarray', { [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'peopleObject', [`${P}newPropertyPath`]: '@body().peopleArray', [`${P}keyName`]: 'Name', [`${P}valueName`]: 'Details' }, input);
    expect(out).toEqual({ ...input, peopleArray: [{ Name: 'XYZ', Details: { Age: '30' } }, { Name: 'ABC', Details: { Age: '23' } }] });
  });
});

describe(`stringtoarray (${LEARN}/stringtoarray/stringtoarray)`, () => {
  it('example 1: "3;0" into [{AgeW: "3"}, {AgeW: "0"}] (newPropertyPath written "@body.peopleObject.XYZ.Age", as on the page)', async () => {
    const out = await throughTemplate(
      'stringtoarray',
      { [`${P}propertyParentPath`]: '@body()', [`${P}propertySubPath`]: 'peopleObject.XYZ.Age', [`${P}delimiterList`]: ';', [`${P}childPropertyName`]: 'AgeW', [`${P}newPropertyPath`]: '@body.peopleObject.XYZ.Age' },
      { peopleObject: { XYZ: { Age: '3;0' }, ABC: { Age: '23;45' } } },
    );
    expect(out).toEqual({ peopleObject: { XYZ: { Age: [{ AgeW: '3' }, { AgeW: '0' }] }, ABC: { Age: '23;45' } } });
  });
});

describe(`setvaluefromurl (${LEARN}/setvaluefromurl/setvaluefromurl)`, () => {
  it('example: header location from @body().peopleObject.location of GET /v1.0/TestAPI/tasks/{id}/foo is USA', async () => {
    const definition = oneOperation('/v1.0/TestAPI/tasks/{id}', 'patch', { operationId: 'Update', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }] });
    const { conn, sent } = recording({
      definition,
      policies: [
        {
          templateId: 'setvaluefromurl',
          title: 'v',
          parameters: { [`${P}parameterTemplate`]: "@headers('location')", [`${P}httpMethod`]: 'GET', [`${P}parameterValueUrl`]: '/v1.0/TestAPI/tasks/{id}/foo', [`${P}parameterValuePathTemplate`]: '@body().peopleObject.location' },
        },
      ],
      answer: (req) => (req.url.endsWith('/foo') ? { body: { peopleObject: { location: 'USA', XYZ: { Age: '30' }, ABC: { Age: '23' } } } } : { body: {} }),
    });
    await conn.invoke('Update', { id: '5' });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['GET https://api.example.com/v1.0/TestAPI/tasks/5/foo', 'PATCH https://api.example.com/v1.0/TestAPI/tasks/5']);
    expect(sent[1]!.headers.location).toBe('USA');
  });
});

describe('expressions', () => {
  // Learn, connectors/custom-connectors/policy-templates/expressions/expressions, "Usage":
  // "Assuming abc as the value of this header in incoming request, this expression will evaluate
  // to http://abc.azure.net. In the same way, you can also use ... queryParameters ... and
  // ... connectionParameters".
  it.each([
    ['header', 'http://@headers(‘subdomain’).azure.net', { headers: { subdomain: 'abc' } }],
    ['query parameter', 'http://@queryParameters(‘subdomain’).azure.net', { queryParameters: { subdomain: 'abc' } }],
    ['connection parameter', 'http://@connectionParameters(‘subdomain’).azure.net', { connectionParameters: { subdomain: 'abc' } }],
  ])('expressions page, %s: %s is http://abc.azure.net', (_n, template, scope) => {
    expect(render(parseTemplate(template), scope, { strict: true })).toBe('http://abc.azure.net');
  });

  // Training module "Use expressions to access runtime values" (policy-templates-custom-connectors/2-expressions-runtime).
  it('training module: @{...} turns a numeric value into a string; @... keeps the number', () => {
    const scope = { connectionParameters: { HostPortNumber: 8080 } };
    expect(render(parseTemplate("@{connectionParameters('HostPortNumber')}"), scope)).toBe('8080');
    expect(render(parseTemplate("@connectionParameters('HostPortNumber')"), scope)).toBe(8080);
  });
  it('training module: @body().summary.amount "would fail if summary was null"', () => {
    const t = parseTemplate('@body().summary.amount');
    expect(() => render(t, { body: { summary: null } }, { strict: true })).toThrow(ExpressionEvaluationError);
    expect(() => render(t, { body: { summary: null } }, { strict: true })).toThrow("@body().summary.amount: 'summary' is null, so 'amount' cannot be read");
    expect(render(t, { body: { summary: { amount: 3 } } }, { strict: true })).toBe(3);
  });

  // paconn-apiProperties.schema.json, pollingtrigger triggerConfig "examples" (no Learn page).
  it('pollingtrigger schema example: CreatedDateTime gt @{triggerBody().value[0].CreatedDateTime}', () => {
    const t = parseTemplate('CreatedDateTime gt @{triggerBody().value[0].CreatedDateTime}');
    expect(render(t, { triggerBody: { value: [{ CreatedDateTime: '2024-05-01T00:00:00Z' }] } })).toBe('CreatedDateTime gt 2024-05-01T00:00:00Z');
  });
});
