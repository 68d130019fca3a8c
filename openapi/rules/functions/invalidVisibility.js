// x-ms-visibility is important, advanced or internal.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } } }, required: ['allowed'], additionalProperties: false },
  },
  function invalidVisibility(doc, { allowed }) {
    const results = [];
    walkDocument(doc, (node, _kind, path) => {
      if ('x-ms-visibility' in node && !allowed.includes(node['x-ms-visibility'])) {
        results.push({ message: `x-ms-visibility ${quote(String(node['x-ms-visibility']))} must be ${allowed.join(', ')}`, path: [...path, 'x-ms-visibility'] });
      }
    });
    return results;
  },
);
