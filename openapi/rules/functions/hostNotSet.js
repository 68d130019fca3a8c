// host names the API's host even when a dynamichosturl policy sets it per connection: an empty
// or {placeholder} host works only through that policy. HostInvalid (an error) reports the
// rest: a missing host, a scheme, a path, any other text that is no host name.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { hostKind } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function hostNotSet(doc) {
  if (hostKind(doc) !== 'unset') return [];
  const what = doc.host.trim() === '' ? 'host is empty' : `host ${quote(doc.host)} is a placeholder`;
  return [{ message: `${what}: only a dynamichosturl policy can point this connector at its API`, path: ['host'] }];
});
