// x-ms-api-annotation.replacement names both the api and the operationId.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, isObject } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function replacementIncomplete(operation, _options, context) {
  const annotation = operation['x-ms-api-annotation'];
  if (!isObject(annotation) || !('replacement' in annotation)) return [];
  const replacement = annotation.replacement;
  const missing = ['api', 'operationId'].filter(key => !isObject(replacement) || !isNonEmptyString(replacement[key]));
  if (missing.length === 0) return [];
  return [{ message: `replacement lacks ${missing.join(' and ')}`, path: [...context.path, 'x-ms-api-annotation', 'replacement'] }];
});
