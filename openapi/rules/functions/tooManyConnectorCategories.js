// [TooManyConnectorCategories] at most two categories.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { connectorCategories } from '../lib/oas2.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'], additionalProperties: false },
  },
  function tooManyConnectorCategories(doc, { max }) {
    const found = connectorCategories(doc);
    if (found === null || found.categories.length <= max) return [];
    return [{ message: `${found.categories.length} categories (${found.categories.join('; ')}), at most ${max} allowed`, path: found.path }];
  },
);
