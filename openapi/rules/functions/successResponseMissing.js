// Every operation documents at least one 2xx response.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, isSuccessCode } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function successResponseMissing(operation, _options, context) {
  const codes = isObject(operation.responses) ? Object.keys(operation.responses) : [];
  if (codes.some(isSuccessCode)) return [];
  return [{
    message: `no 2xx response${codes.length ? ` (has ${codes.join(', ')})` : ''}`,
    path: isObject(operation.responses) ? [...context.path, 'responses'] : context.path,
  }];
});
