// [OperationHasManyResponsesWithSchema] the designer takes its outputs from one
// schema, so all 2xx responses of an operation share one schema (the same $ref
// or the same inline schema). Error responses are not outputs and do not count.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { deref, isObject, isSuccessCode, operations } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationHasManyResponsesWithSchema(doc) {
  const results = [];
  for (const { operation, path } of operations(doc)) {
    if (!isObject(operation.responses)) continue;
    let first = null;
    for (const [code, raw] of Object.entries(operation.responses)) {
      const response = deref(doc, raw);
      if (!isSuccessCode(code) || !isObject(response) || !isObject(response.schema)) continue;
      const key = JSON.stringify(response.schema);
      const schemaPath = raw === response ? [...path, 'responses', code, 'schema'] : [...path, 'responses', code];
      if (first === null) first = { code, key };
      else if (first.key !== key) {
        results.push({ message: `${code} response has a different schema than the ${first.code} response`, path: schemaPath });
      }
    }
  }
  return results;
});
