// [DefaultResponseHasSchema] the default response carries no schema.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { responses } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function defaultResponseHasSchema(operation, _options, context) {
  return [...responses(operation, context.path, context.document.data)]
    .filter(({ code, response }) => code === 'default' && 'schema' in response)
    .map(({ path }) => ({ message: 'the default response has a schema', path: [...path, 'schema'] }));
});
