// Reviewers prefer explicit status codes to a catch-all default response.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function defaultResponseUsed(operation, _options, context) {
  if (!isObject(operation.responses) || !('default' in operation.responses)) return [];
  return [{ message: 'the operation documents a default response instead of explicit status codes', path: [...context.path, 'responses', 'default'] }];
});
