// Every operation and every parameter has a description.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, pathItemOperations, pathItemParameters } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function descriptionMissing(pathItem, _options, context) {
  const results = [];
  for (const { operation, path } of pathItemOperations(pathItem, context.path)) {
    if (!isNonEmptyString(operation.description)) {
      results.push({ message: `operation${typeof operation.operationId === 'string' ? ` ${operation.operationId}` : ''} has no description`, path });
    }
  }
  for (const { parameter, path } of pathItemParameters(pathItem, context.path)) {
    if (!isNonEmptyString(parameter.description)) results.push({ message: `parameter "${parameter.name}" has no description`, path });
  }
  return results;
});
