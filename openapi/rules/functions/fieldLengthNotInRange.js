// [FieldLengthNotInRange] info.description has 30-500 characters (paconn create
// crashes when it is missing).
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { min: { type: 'integer' }, max: { type: 'integer' } }, required: ['min', 'max'], additionalProperties: false },
  },
  function fieldLengthNotInRange(info, { min, max }, context) {
    const path = [...context.path, 'description'];
    if (typeof info.description !== 'string') return [{ message: `info.description is missing; write ${min}-${max} characters`, path }];
    const length = info.description.trim().length;
    if (length >= min && length <= max) return [];
    return [{ message: `info.description has ${length} characters, expected ${min}-${max}`, path }];
  },
);
