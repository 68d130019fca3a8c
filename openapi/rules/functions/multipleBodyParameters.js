// An operation has at most one body parameter.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { effectiveParameters, pathItemOperations } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function multipleBodyParameters(pathItem, _options, context) {
  const results = [];
  for (const { method, operation, path } of pathItemOperations(pathItem, context.path)) {
    const bodies = effectiveParameters(pathItem, context.path, operation, path).filter(({ parameter }) => parameter.in === 'body');
    for (const { parameter, path: parameterPath } of bodies.slice(1)) {
      results.push({ message: `${method.toUpperCase()} ${context.path[1]} has a second body parameter "${parameter.name}" (first: "${bodies[0].parameter.name}")`, path: parameterPath });
    }
  }
  return results;
});
