// [OperationSummaryTooLong] the summary (the action's name) is at most 80 characters.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'string' },
    options: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'], additionalProperties: false },
  },
  function operationSummaryTooLong(summary, { max }) {
    if (summary.length <= max) return [];
    return [{ message: `summary ${quote(summary)} has ${summary.length} characters, at most ${max} allowed` }];
  },
);
