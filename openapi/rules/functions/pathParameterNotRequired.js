// Path parameters are required: true.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { pathItemParameters } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathParameterNotRequired(pathItem, _options, context) {
  return [...pathItemParameters(pathItem, context.path)]
    .filter(({ parameter }) => parameter.in === 'path' && parameter.required !== true)
    .map(({ parameter, path }) => ({ message: `path parameter "${parameter.name}" is not required: true`, path }));
});
