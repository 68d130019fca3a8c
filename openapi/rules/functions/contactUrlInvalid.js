// info.contact.url, where given, is an http(s) URL: Swagger 2.0 and Microsoft's schema want a
// URL there and no accepted connector has anything else. A missing url is
// ContactPropertiesMissing's (a warning).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, isUnset } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function contactUrlInvalid(info, _options, context) {
  const url = isObject(info.contact) ? info.contact.url : undefined;
  if (isUnset(url) || (typeof url === 'string' && /^https?:\/\/[^\s/]+/.test(url))) return [];
  return [{ message: `info.contact.url ${quote(url)} is not an http(s) URL`, path: [...context.path, 'contact', 'url'] }];
});
