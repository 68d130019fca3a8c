// A connector has at most 256 operations.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { operations } from '../lib/oas2.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'], additionalProperties: false },
  },
  function tooManyOperations(doc, { max }) {
    const count = [...operations(doc)].length;
    if (count <= max) return [];
    return [{ message: `${count} operations, at most ${max} allowed`, path: ['paths'] }];
  },
);
