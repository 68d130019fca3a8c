// A trigger (x-ms-trigger, whose value TriggerKindInvalid checks) has an x-ms-trigger-hint, and
// only triggers have one.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function triggerInvalid(operation, _options, context) {
  const hasTrigger = 'x-ms-trigger' in operation;
  const hasHint = 'x-ms-trigger-hint' in operation;
  const results = [];
  if (hasTrigger && !isNonEmptyString(operation['x-ms-trigger-hint'])) {
    results.push({ message: 'trigger has no x-ms-trigger-hint', path: hasHint ? [...context.path, 'x-ms-trigger-hint'] : context.path });
  }
  if (hasHint && !hasTrigger) {
    results.push({ message: 'x-ms-trigger-hint on an operation without x-ms-trigger', path: [...context.path, 'x-ms-trigger-hint'] });
  }
  return results;
});
