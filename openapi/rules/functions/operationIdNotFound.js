// [OperationIdNotFound] x-ms-dynamic-* extensions call operations that exist.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { dynamicReferences, operationsById } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationIdNotFound(doc) {
  const byId = operationsById(doc);
  return dynamicReferences(doc)
    .filter(({ site }) => !byId.has(site.operationId))
    .map(({ extension, site, path }) => ({
      message: `${extension} calls operationId ${quote(String(site.operationId ?? 'missing'))}, which no operation has`,
      path: [...path, 'operationId'],
    }));
});
