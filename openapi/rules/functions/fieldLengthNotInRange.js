// [FieldLengthNotInRange] info.description is there (paconn create crashes without one) and at
// most `max` characters: no certified connector lacks one or has a longer one. One under `min`
// characters is InfoDescriptionTooShort's (a warning): certified connectors have one.
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
    if (length <= max) return [];
    return [{ message: `info.description has ${length} characters, expected ${min}-${max}`, path }];
  },
);
