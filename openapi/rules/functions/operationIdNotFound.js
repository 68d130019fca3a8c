// [OperationIdNotFound] x-ms-dynamic-* extensions call operations that exist. An
// x-ms-dynamic-values that names a capability (file-picker) or a builtInOperation instead of an
// operationId calls none, as Microsoft's schema allows: certified connectors (Asite, LawVu) use
// the file picker so.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { dynamicReferences, operationsById } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const callsNoOperation = (extension, site) =>
  extension === 'x-ms-dynamic-values' && !('operationId' in site) && ('capability' in site || 'builtInOperation' in site);

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function operationIdNotFound(doc) {
  const byId = operationsById(doc);
  return dynamicReferences(doc)
    .filter(({ extension, site }) => !byId.has(site.operationId) && !callsNoOperation(extension, site))
    .map(({ extension, site, path }) => ({
      message: 'operationId' in site
        ? `${extension} calls operationId ${quote(String(site.operationId))}, which no operation has`
        : `${extension} names no operationId`,
      path: [...path, 'operationId'],
    }));
});
