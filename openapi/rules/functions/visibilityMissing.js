// Every operation states its x-ms-visibility (important, advanced or internal).
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function visibilityMissing(operation) {
  if ('x-ms-visibility' in operation) return [];
  return [{ message: `operation${typeof operation.operationId === 'string' ? ` ${operation.operationId}` : ''} has no x-ms-visibility` }];
});
