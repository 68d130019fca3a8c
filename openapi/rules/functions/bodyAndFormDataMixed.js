// An operation takes either a body parameter or formData parameters, not both.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { effectiveParameters, pathItemOperations } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function bodyAndFormDataMixed(pathItem, _options, context) {
  const results = [];
  for (const { method, operation, path } of pathItemOperations(pathItem, context.path)) {
    const parameters = effectiveParameters(pathItem, context.path, operation, path);
    const body = parameters.find(({ parameter }) => parameter.in === 'body');
    if (body === undefined) continue;
    for (const { parameter, path: parameterPath } of parameters.filter(({ parameter }) => parameter.in === 'formData')) {
      results.push({ message: `${method.toUpperCase()} ${context.path[1]} mixes formData "${parameter.name}" with body "${body.parameter.name}"`, path: parameterPath });
    }
  }
  return results;
});
