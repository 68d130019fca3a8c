// A GET request carries no body and no formData parameters.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { effectiveParameters } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function getWithBody(pathItem, _options, context) {
  if (typeof pathItem.get !== 'object' || pathItem.get === null) return [];
  return effectiveParameters(pathItem, context.path, pathItem.get, [...context.path, 'get'])
    .filter(({ parameter }) => parameter.in === 'body' || parameter.in === 'formData')
    .map(({ parameter, path }) => ({ message: `GET ${context.path[1]} has a ${parameter.in} parameter "${parameter.name}"`, path }));
});
