// A trigger has x-ms-trigger batch or single and an x-ms-trigger-hint.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function triggerInvalid(operation, _options, context) {
  const hasTrigger = 'x-ms-trigger' in operation;
  const hasHint = 'x-ms-trigger-hint' in operation;
  const results = [];
  if (hasTrigger && !['batch', 'single'].includes(operation['x-ms-trigger'])) {
    results.push({ message: `x-ms-trigger ${quote(String(operation['x-ms-trigger']))} must be batch or single`, path: [...context.path, 'x-ms-trigger'] });
  }
  if (hasTrigger && !isNonEmptyString(operation['x-ms-trigger-hint'])) {
    results.push({ message: 'trigger has no x-ms-trigger-hint', path: hasHint ? [...context.path, 'x-ms-trigger-hint'] : context.path });
  }
  if (hasHint && !hasTrigger) {
    results.push({ message: 'x-ms-trigger-hint on an operation without x-ms-trigger', path: [...context.path, 'x-ms-trigger-hint'] });
  }
  return results;
});
