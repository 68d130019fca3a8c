// host is a bare host name (optionally with a port): no scheme, no path, no query.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/;

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function hostInvalid(doc) {
  if (!isNonEmptyString(doc.host)) return [{ message: 'host is missing: the connector needs the API host name', path: ['host'] }];
  if (HOST.test(doc.host)) return [];
  const why = doc.host.includes('://') ? 'contains a scheme' : /[/?#]/.test(doc.host) ? 'contains a path' : 'is not a host name';
  return [{ message: `host ${quote(doc.host)} ${why}`, path: ['host'] }];
});
