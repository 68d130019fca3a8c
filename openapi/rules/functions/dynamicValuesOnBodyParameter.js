// Dynamic extensions go on the properties of a body schema, not on the body
// parameter itself.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { DYNAMIC_EXTENSIONS, walkDocument } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function dynamicValuesOnBodyParameter(doc) {
  const results = [];
  walkDocument(doc, (node, kind, path) => {
    if (kind !== 'parameter' || node.in !== 'body') return;
    for (const extension of DYNAMIC_EXTENSIONS) {
      if (extension in node) results.push({ message: `${extension} sits on the body parameter "${node.name}"`, path: [...path, extension] });
    }
  });
  return results;
});
