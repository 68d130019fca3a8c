// [OperationParameterNameNotFound] the parameters an x-ms-dynamic-* extension
// passes exist on the called operation, and the parameters it reads its values
// from ({parameter} / {parameterReference}) exist on the calling operation.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { acceptedNames, dynamicReferences, isObject, operationsById } from '../lib/oas2.js';

const firstSegment = name => String(name).split('/')[0];

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationParameterNameNotFound(doc) {
  const byId = operationsById(doc);
  const results = [];
  for (const { extension, site, path, context } of dynamicReferences(doc)) {
    if (!isObject(site.parameters)) continue;
    const target = byId.get(site.operationId);
    const targetNames = target ? acceptedNames(doc, target.pathKey, target.operation, target.path) : null;
    const ownNames = context.operation ? acceptedNames(doc, context.operationPath[1], context.operation, context.operationPath) : null;
    for (const [name, value] of Object.entries(site.parameters)) {
      if (targetNames !== null && !targetNames.has(firstSegment(name))) {
        results.push({ message: `${extension} passes "${name}", which ${site.operationId} does not accept`, path: [...path, 'parameters', name] });
      }
      if (ownNames === null || !isObject(value)) continue;
      const key = 'parameter' in value ? 'parameter' : 'parameterReference' in value ? 'parameterReference' : null;
      if (key !== null && !ownNames.has(firstSegment(value[key]))) {
        results.push({ message: `${extension} reads "${value[key]}", which is not a parameter of this operation`, path: [...path, 'parameters', name, key] });
      }
    }
  }
  return results;
});
