// info.contact carries name and url (certification needs a support contact). A url that is
// given but no http(s) URL is ContactUrlInvalid's, an error.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, isObject, isUnset } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function contactPropertiesMissing(info, _options, context) {
  const contactPath = [...context.path, 'contact'];
  if (!isObject(info.contact)) return [{ message: 'info.contact is missing (name, url and email)', path: contactPath }];
  const results = [];
  if (!isNonEmptyString(info.contact.name)) results.push({ message: 'info.contact.name is missing', path: [...contactPath, 'name'] });
  if (isUnset(info.contact.url)) results.push({ message: 'info.contact.url is missing', path: [...contactPath, 'url'] });
  return results;
});
