// info.contact.email is given: certification asks for a support address. An address that is
// given but invalid is ContactEmailNotValid's, an error.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, isUnset } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function contactEmailMissing(info, _options, context) {
  if (!isUnset(isObject(info.contact) ? info.contact.email : undefined)) return [];
  return [{ message: 'info.contact.email is missing', path: [...context.path, 'contact', 'email'] }];
});
