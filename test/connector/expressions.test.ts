/** The policy expression subset: forms from the docs and the corpus, and what is refused. */
import { describe, expect, it } from 'vitest';
import { ExpressionError, parsePath, parseTemplate, render } from '../../src/connector-runtime/index.js';

const scope = {
  connectionParameters: { host: 'contoso', key: 'k' },
  headers: { 'x-id': '42' },
  queryParameters: { q: 'v' },
  body: { data: [{ id: 7, 'a.b': 'dot' }], '@odata.etag': 'W/"1"' },
  triggerBody: { value: [{ updatedDateTime: '2026-01-01T00:00:00Z' }] },
  method: 'PATCH',
};

describe('templates', () => {
  it.each([
    ["https://@connectionParameters('host').vault.azure.net", 'https://contoso.vault.azure.net'],
    ["Bearer @ConnectionParameters('key')", 'Bearer k'],
    ["@header('X-Id')-@queryParameters('q')", '42-v'],
    ["@connectionParameters('none', 'fallback')", 'fallback'],
    ['updatedDateTime gt @{triggerBody().value[0].updatedDateTime}', 'updatedDateTime gt 2026-01-01T00:00:00Z'],
    ["id {@body().data[0].id} and {@body().data[0]['a.b']}", 'id 7 and dot'],
    ['@Request.OriginalHTTPMethod', 'PATCH'],
    ['mail support@contoso.com stays', 'mail support@contoso.com stays'],
    ['@odata.nextLink', '@odata.nextLink'],
  ])('%s', (template, expected) => {
    expect(render(parseTemplate(template), scope)).toBe(expected);
  });

  it('a template that is one expression keeps its value type', () => {
    expect(render(parseTemplate('{@body().data}'), scope)).toEqual([{ id: 7, 'a.b': 'dot' }]);
  });

  it.each([
    ["@utcNow('o')", "unknown function 'utcNow'"],
    ['@{triggerBody().value[0]', "expected '}' to close the interpolation"],
    ["@connectionParameters('a', 'b', 'c')", 'takes 1 or 2 argument(s), got 3'],
    ["@headers('open)", 'unterminated string'],
  ])('refuses %s', (template, message) => {
    expect(() => parseTemplate(template)).toThrow(ExpressionError);
    expect(() => parseTemplate(template)).toThrow(message);
  });
});

describe('paths', () => {
  it('reads @body() paths, and body() without @ as the corpus writes it', () => {
    expect(parsePath("@body()['@odata.etag']", ['body']).path).toEqual(['@odata.etag']);
    expect(parsePath('body()', ['body']).path).toEqual([]);
  });

  it('refuses a path on the wrong function or with trailing text', () => {
    expect(() => parsePath('@triggerBody().value', ['body'])).toThrow('must be a path starting with @body()');
    expect(() => parsePath('@body().a b', ['body'])).toThrow('unexpected text after the path');
  });
});
