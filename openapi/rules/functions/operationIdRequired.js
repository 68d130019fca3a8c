// [OperationIdRequired] flows and apps bind to operations by operationId.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationIdRequired(operation, _options, context) {
  if (isNonEmptyString(operation.operationId)) return [];
  const [, pathKey, method] = context.path;
  return [{ message: `${String(method).toUpperCase()} ${pathKey} has no operationId` }];
});
