// Every security requirement (global or per operation) names a securityDefinitions entry.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, operations } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function securityDefinitionMissing(doc) {
  const defined = isObject(doc.securityDefinitions) ? Object.keys(doc.securityDefinitions) : [];
  const results = [];
  const check = (security, path) => {
    if (!Array.isArray(security)) return;
    security.forEach((requirement, index) => {
      if (!isObject(requirement)) return;
      for (const name of Object.keys(requirement)) {
        if (!defined.includes(name)) {
          results.push({
            message: `security requirement "${name}" is not declared in securityDefinitions${defined.length ? ` (declared: ${defined.join(', ')})` : ''}`,
            path: [...path, 'security', index, name],
          });
        }
      }
    });
  };
  check(doc.security, []);
  for (const { operation, path } of operations(doc)) check(operation.security, path);
  return results;
});
