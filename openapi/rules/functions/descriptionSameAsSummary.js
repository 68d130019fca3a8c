// An operation's description adds to its summary instead of repeating it.
import { createRulesetFunction } from '@stoplight/spectral-core';

const normalize = text => text.trim().replace(/[.!?]+$/, '').replace(/\s+/g, ' ').toLowerCase();

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function descriptionSameAsSummary(operation, _options, context) {
  if (typeof operation.summary !== 'string' || typeof operation.description !== 'string') return [];
  if (normalize(operation.summary) !== normalize(operation.description)) return [];
  return [{ message: `description repeats the summary "${operation.summary}"`, path: [...context.path, 'description'] }];
});
