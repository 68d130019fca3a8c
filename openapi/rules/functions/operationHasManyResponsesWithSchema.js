// [OperationHasManyResponsesWithSchema] the designer takes its outputs from one
// schema, so all 2xx responses of an operation share one schema (the same $ref
// or the same inline schema). Error responses are not outputs and do not count.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, isSuccessCode, responses } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationHasManyResponsesWithSchema(operation, _options, context) {
  const results = [];
  let first = null;
  for (const { code, response, path } of responses(operation, context.path, context.document.data)) {
    if (!isSuccessCode(code) || !isObject(response.schema)) continue;
    const key = JSON.stringify(response.schema);
    if (first === null) first = { code, key };
    else if (first.key !== key) results.push({ message: `${code} response has a different schema than the ${first.code} response`, path: [...path, 'schema'] });
  }
  return results;
});
