// Every response has a description.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, walkDocument } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function responseDescriptionMissing(doc) {
  const results = [];
  walkDocument(doc, (node, kind, path) => {
    if (kind === 'response' && !isNonEmptyString(node.description)) {
      results.push({ message: `response ${path[path.length - 1]} has no description`, path });
    }
  });
  return results;
});
