// [OperationIdNotUnique] operationIds are unique across the connector.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { operations } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationIdNotUnique(doc) {
  const first = new Map();
  const results = [];
  for (const { operation, path, pathKey, method } of operations(doc)) {
    const id = operation.operationId;
    if (typeof id !== 'string') continue;
    const where = `${method.toUpperCase()} ${pathKey}`;
    if (first.has(id)) results.push({ message: `operationId "${id}" is already used by ${first.get(id)}`, path: [...path, 'operationId'] });
    else first.set(id, where);
  }
  return results;
});
