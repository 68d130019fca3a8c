// [ContactEmailNotValid] info.contact.email, where given, is a valid e-mail address. A missing
// address is ContactEmailMissing's (a warning): certified connectors lack one, but none has an
// invalid one.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, isUnset } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function contactEmailNotValid(info, _options, context) {
  const email = isObject(info.contact) ? info.contact.email : undefined;
  if (isUnset(email) || (typeof email === 'string' && EMAIL.test(email))) return [];
  return [{ message: `info.contact.email ${quote(email)} is not a valid e-mail address`, path: [...context.path, 'contact', 'email'] }];
});
