// Every operation has a summary: it is the action's name in the designer.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function summaryMissing(operation) {
  if (isNonEmptyString(operation.summary)) return [];
  return [{ message: `operation${typeof operation.operationId === 'string' ? ` ${operation.operationId}` : ''} has no summary` }];
});
