// x-ms-api-annotation.status is Preview or Production, and no operation is
// Production while the connector (info) is Preview. Letter case is not checked: an
// accepted certified connector (Cognizant Automation Center) writes "production".
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, operations } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const ANNOTATION = 'x-ms-api-annotation';
const STATUSES = ['Preview', 'Production'];

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function apiAnnotationStatusInvalid(doc) {
  const results = [];
  const statusOf = (node, path) => {
    const annotation = isObject(node) ? node[ANNOTATION] : undefined;
    if (!isObject(annotation) || !('status' in annotation)) return null;
    const status = STATUSES.find(s => typeof annotation.status === 'string' && s.toLowerCase() === annotation.status.toLowerCase());
    if (status === undefined) {
      results.push({ message: `${ANNOTATION}.status ${quote(String(annotation.status))} must be Preview or Production`, path: [...path, ANNOTATION, 'status'] });
      return null;
    }
    return status;
  };
  const connectorStatus = statusOf(doc.info, ['info']);
  for (const { operation, path } of operations(doc)) {
    const status = statusOf(operation, path);
    if (status === 'Production' && connectorStatus === 'Preview') {
      results.push({ message: 'operation is Production while the connector (info) is Preview', path: [...path, ANNOTATION, 'status'] });
    }
  }
  return results;
});
