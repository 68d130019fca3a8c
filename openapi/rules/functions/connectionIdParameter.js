// No parameter is named connectionId: Power Platform reserves the name for the
// connection it adds to every call.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { pathItemParameters } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function connectionIdParameter(pathItem, _options, context) {
  return [...pathItemParameters(pathItem, context.path)]
    .filter(({ parameter }) => typeof parameter.name === 'string' && parameter.name.toLowerCase() === 'connectionid')
    .map(({ parameter, path }) => ({ message: `parameter "${parameter.name}" uses the reserved name connectionId`, path: [...path, 'name'] }));
});
