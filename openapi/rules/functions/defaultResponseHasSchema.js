// [DefaultResponseHasSchema] the default response carries no schema.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function defaultResponseHasSchema(operation, _options, context) {
  const response = isObject(operation.responses) ? operation.responses.default : undefined;
  if (!isObject(response) || !('schema' in response)) return [];
  return [{ message: 'the default response has a schema', path: [...context.path, 'responses', 'default', 'schema'] }];
});
