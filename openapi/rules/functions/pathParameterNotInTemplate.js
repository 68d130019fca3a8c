// Every in: path parameter appears as {name} in the path template.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { pathItemParameters } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathParameterNotInTemplate(pathItem, _options, context) {
  const template = String(context.path[context.path.length - 1]);
  const names = new Set([...template.matchAll(/\{([^}]+)\}/g)].map(m => m[1]));
  return [...pathItemParameters(pathItem, context.path)]
    .filter(({ parameter }) => parameter.in === 'path' && !names.has(parameter.name))
    .map(({ parameter, path }) => ({ message: `path parameter "${parameter.name}" is not in the template "${template}"`, path }));
});
