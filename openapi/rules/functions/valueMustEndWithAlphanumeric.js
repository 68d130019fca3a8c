// [ValueMustEndWithAlphanumeric] info.title and operation summaries end with a letter, a digit
// or ")": certified connectors' titles end with a parenthesis ("Asite (Canada)", "XC-Gate (Preview)").
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'string' }, options: null }, function valueMustEndWithAlphanumeric(value, _options, context) {
  if (/[A-Za-z0-9)]$/.test(value)) return [];
  const what = context.path[0] === 'info' ? 'info.title' : 'summary';
  return [{ message: `${what} ${quote(value)} must end with a letter or digit (or ")")` }];
});
