// info.contact carries name and url (certification needs a support contact).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, isObject } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function contactPropertiesMissing(info, _options, context) {
  const contactPath = [...context.path, 'contact'];
  if (!isObject(info.contact)) return [{ message: 'info.contact is missing (name, url and email)', path: contactPath }];
  const results = [];
  if (!isNonEmptyString(info.contact.name)) results.push({ message: 'info.contact.name is missing', path: [...contactPath, 'name'] });
  const { url } = info.contact;
  if (!isNonEmptyString(url)) results.push({ message: 'info.contact.url is missing', path: [...contactPath, 'url'] });
  else if (!/^https?:\/\/[^\s/]+/.test(url)) results.push({ message: `info.contact.url ${quote(url)} is not an http(s) URL`, path: [...contactPath, 'url'] });
  return results;
});
