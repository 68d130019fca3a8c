// [ContactEmailNotValid] info.contact.email is a valid e-mail address.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function contactEmailNotValid(info, _options, context) {
  const path = [...context.path, 'contact', 'email'];
  const email = isObject(info.contact) ? info.contact.email : undefined;
  if (email === undefined) return [{ message: 'info.contact.email is missing', path }];
  if (typeof email === 'string' && EMAIL.test(email)) return [];
  return [{ message: `info.contact.email ${quote(String(email))} is not a valid e-mail address`, path }];
});
