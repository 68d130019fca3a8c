// x-ms-summary (a field's label in the designer) is at most 80 characters.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'], additionalProperties: false },
  },
  function xMsSummaryTooLong(doc, { max }) {
    const results = [];
    walkDocument(doc, (node, _kind, path) => {
      const summary = node['x-ms-summary'];
      if (typeof summary === 'string' && summary.length > max) {
        results.push({ message: `x-ms-summary ${quote(summary)} has ${summary.length} characters, at most ${max} allowed`, path: [...path, 'x-ms-summary'] });
      }
    });
    return results;
  },
);
