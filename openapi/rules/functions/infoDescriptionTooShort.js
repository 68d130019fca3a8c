// info.description has at least `min` characters (certification's FieldLengthNotInRange). A
// missing or too long one is FieldLengthNotInRange's, an error.
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { min: { type: 'integer' }, max: { type: 'integer' } }, required: ['min', 'max'], additionalProperties: false },
  },
  function infoDescriptionTooShort(info, { min, max }, context) {
    if (typeof info.description !== 'string') return [];
    const length = info.description.trim().length;
    if (length >= min) return [];
    return [{ message: `info.description has ${length} characters, expected ${min}-${max}`, path: [...context.path, 'description'] }];
  },
);
