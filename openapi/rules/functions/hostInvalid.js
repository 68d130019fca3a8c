// host is a bare host name (optionally with a port): present, no scheme, no path. A host left
// for a dynamichosturl policy to set (empty, or a {placeholder}) is HostNotSet's, a warning:
// an accepted connector has one. What this rule reports, no accepted connector has.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { hostKind } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const WHY = {
  'not-string': 'is not a string',
  scheme: 'contains a scheme',
  path: 'contains a path',
  other: 'is not a host name',
};

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function hostInvalid(doc) {
  const kind = hostKind(doc);
  if (kind === 'missing') return [{ message: 'host is missing: the connector needs the API host name', path: ['host'] }];
  if (!(kind in WHY)) return [];
  return [{ message: `host ${quote(doc.host)} ${WHY[kind]}`, path: ['host'] }];
});
