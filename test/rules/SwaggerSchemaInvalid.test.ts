import { expect, it } from 'vitest';
import { fixture, lintWith, ruleSuite } from './helpers.js';

// The corpus: accepted connectors break the Swagger 2.0 schema in four ways only (empty responses
// objects, a misspelt root key, an oauth2 definition without scopes, a placeholder host); none of
// them in the ways below.
ruleSuite('SwaggerSchemaInvalid', {
  failing: [
    {
      name: 'a response without description',
      mutate: doc => {
        delete doc.paths['/tasks/{taskId}'].get.responses['404'].description;
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses', '404'],
      message: /"404" property must have required property "description"/,
    },
    {
      name: 'an unexpected key in info',
      mutate: doc => {
        doc.info.owner = 'Contoso';
      },
      path: ['info', 'owner'],
      message: /Property "owner" is not expected to be here/,
    },
    {
      name: 'a response code that is no status code',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.responses['2XX'] = { description: 'Any success.' };
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses', '2XX'],
    },
  ],
  passing: [
    {
      // Aletheia and 7 other accepted connectors: webhook operations with "responses": {}.
      name: 'an operation with an empty responses object (oas2-schema warns)',
      mutate: doc => {
        doc.paths['/tasks'].post.responses = {};
      },
    },
    {
      // USB4SAP: "basepath" beside basePath.
      name: 'an unexpected key at the document root (oas2-schema warns)',
      mutate: doc => {
        doc.basepath = '/v1';
      },
    },
    {
      // Instagram Professional (a sample imported as a custom connector).
      name: 'an oauth2 definition without scopes (oas2-schema warns)',
      mutate: doc => {
        delete doc.securityDefinitions.oauth2.scopes;
      },
    },
    {
      name: 'a host with a scheme (HostInvalid reports it)',
      mutate: doc => {
        doc.host = 'https://api.contoso.com';
      },
    },
  ],
});

it('SwaggerSchemaInvalid reports a parameter with an unknown location, as oas2-schema does', async () => {
  const broken = fixture(doc => void (doc.paths['/tasks'].get.parameters[0].in = 'Query'));
  const errors = await lintWith('SwaggerSchemaInvalid', broken);
  const warnings = await lintWith('oas2-schema', broken);
  expect(errors.map(r => r.path.join('.'))).toContain('paths./tasks.get.parameters.0.in');
  expect(errors.every(r => r.severity === 0)).toBe(true);
  expect(errors.map(r => `${r.path.join('.')} ${r.message}.`)).toEqual(warnings.map(r => `${r.path.join('.')} ${r.message}`));
});
