// [ValueMustEndWithAlphanumeric] info.title ends with a letter or digit; an
// operation summary with a letter, digit or ")".
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'string' }, options: null }, function valueMustEndWithAlphanumeric(value, _options, context) {
  const isTitle = context.path[0] === 'info';
  const ending = isTitle ? /[A-Za-z0-9]$/ : /[A-Za-z0-9)]$/;
  if (ending.test(value)) return [];
  const what = isTitle ? 'info.title' : 'summary';
  return [{ message: `${what} ${quote(value)} must end with a letter or digit${isTitle ? '' : ' (or ")")'}` }];
});
