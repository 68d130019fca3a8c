// x-ms-api-annotation.replacement belongs only to deprecated operations.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function replacementOnNonDeprecated(operation, _options, context) {
  const annotation = operation['x-ms-api-annotation'];
  if (!isObject(annotation) || !('replacement' in annotation) || operation.deprecated === true) return [];
  return [{ message: 'operation names a replacement but is not deprecated: true', path: [...context.path, 'x-ms-api-annotation', 'replacement'] }];
});
