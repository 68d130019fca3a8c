// x-ms-pageable.nextLinkName is nextLink or @odata.nextLink. Microsoft's schema lets it name any
// response property, and a certified connector pages through "nextlink", so this stays a
// warning; an x-ms-pageable without a nextLinkName is PageableNextLinkMissing's, an error.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, isObject } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } } }, required: ['allowed'], additionalProperties: false },
  },
  function pageableNextLinkNameInvalid(operation, { allowed }, context) {
    const pageable = operation['x-ms-pageable'];
    if (!isObject(pageable) || !isNonEmptyString(pageable.nextLinkName) || allowed.includes(pageable.nextLinkName)) return [];
    return [{
      message: `x-ms-pageable.nextLinkName ${quote(pageable.nextLinkName)} must be ${allowed.join(' or ')}`,
      path: [...context.path, 'x-ms-pageable', 'nextLinkName'],
    }];
  },
);
