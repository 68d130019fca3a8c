// [OperationParameterNameNotFound] the parameters an x-ms-dynamic-* extension
// passes exist on the called operation, and the parameters it reads its values
// from ({parameter} / {parameterReference}) exist on the calling operation.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { acceptedNames, dynamicReferences, isObject, operationsById } from '../lib/oas2.js';

// A name may be a path into a body property: "prop/child" or, as accepted connectors write
// it (AXtension Content Gate, Spring Global), "prop.child"; then its first segment must exist.
function known(names, name) {
  const text = String(name);
  return names.has(text) || names.has(text.split(/[/.]/)[0]);
}

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationParameterNameNotFound(doc) {
  const byId = operationsById(doc);
  const results = [];
  for (const { extension, site, path, context } of dynamicReferences(doc)) {
    if (!isObject(site.parameters)) continue;
    const target = byId.get(site.operationId);
    const targetNames = target ? acceptedNames(doc, target.pathKey, target.operation, target.path) : null;
    const ownNames = context.operation ? acceptedNames(doc, context.operationPath[1], context.operation, context.operationPath) : null;
    for (const [name, value] of Object.entries(site.parameters)) {
      if (targetNames !== null && !known(targetNames, name)) {
        results.push({ message: `${extension} passes "${name}", which ${site.operationId} does not accept`, path: [...path, 'parameters', name] });
      }
      if (ownNames === null || !isObject(value)) continue;
      const key = 'parameter' in value ? 'parameter' : 'parameterReference' in value ? 'parameterReference' : null;
      if (key !== null && !known(ownNames, value[key])) {
        results.push({ message: `${extension} reads "${value[key]}", which is not a parameter of this operation`, path: [...path, 'parameters', name, key] });
      }
    }
  }
  return results;
});
