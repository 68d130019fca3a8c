// [FieldLengthExceeded] info.title is at most 30 characters.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'], additionalProperties: false },
  },
  function fieldLengthExceeded(info, { max }, context) {
    if (typeof info.title !== 'string' || info.title.length <= max) return [];
    return [{ message: `info.title ${quote(info.title)} has ${info.title.length} characters, at most ${max} allowed`, path: [...context.path, 'title'] }];
  },
);
