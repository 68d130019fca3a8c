// Every {placeholder} of a path template is defined by an in: path parameter of each operation
// (its own or the path item's), and appears once. spectral:oas path-params checks this too, but
// is a warning: accepted connectors break its other cases (placeholders with spaces, which it
// cannot read, and equivalent templates); no accepted connector breaks these two.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { effectiveParameters, pathItemOperations } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathParameterUndefined(pathItem, _options, context) {
  const template = String(context.path[context.path.length - 1]);
  const placeholders = [...template.matchAll(/\{([^}]+)\}/g)].map(m => m[1]);
  const results = [];
  const repeated = [...new Set(placeholders.filter((name, index) => placeholders.indexOf(name) !== index))];
  for (const name of repeated) results.push({ message: `placeholder {${name}} appears more than once in "${template}"`, path: context.path });
  for (const { method, operation, path } of pathItemOperations(pathItem, context.path)) {
    const defined = new Set(effectiveParameters(pathItem, context.path, operation, path).filter(({ parameter }) => parameter.in === 'path').map(({ parameter }) => parameter.name));
    for (const name of new Set(placeholders)) {
      if (!defined.has(name)) results.push({ message: `${method.toUpperCase()} ${template} defines no path parameter "${name}" for {${name}}`, path });
    }
  }
  return results;
});
