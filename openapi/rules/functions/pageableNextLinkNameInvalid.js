// x-ms-pageable.nextLinkName is nextLink or @odata.nextLink.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } } }, required: ['allowed'], additionalProperties: false },
  },
  function pageableNextLinkNameInvalid(operation, { allowed }, context) {
    if (!('x-ms-pageable' in operation)) return [];
    const pageable = operation['x-ms-pageable'];
    const name = isObject(pageable) ? pageable.nextLinkName : undefined;
    if (allowed.includes(name)) return [];
    return [{
      message: `x-ms-pageable.nextLinkName ${quote(String(name ?? 'missing'))} must be ${allowed.join(' or ')}`,
      path: [...context.path, 'x-ms-pageable', ...(isObject(pageable) && 'nextLinkName' in pageable ? ['nextLinkName'] : [])],
    }];
  },
);
