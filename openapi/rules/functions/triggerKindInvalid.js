// x-ms-trigger is batch or single. Microsoft's published apiDefinition schema has exactly that
// enum, so another value is refused at import; TriggerInvalid keeps the hint pairing, which
// accepted connectors break.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function triggerKindInvalid(operation, _options, context) {
  if (!('x-ms-trigger' in operation) || ['batch', 'single'].includes(operation['x-ms-trigger'])) return [];
  return [{ message: `x-ms-trigger ${quote(String(operation['x-ms-trigger']))} must be batch or single`, path: [...context.path, 'x-ms-trigger'] }];
});
