// schemes must be a non-empty list of http/https (no ws/wss).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } } }, required: ['allowed'], additionalProperties: false },
  },
  function schemesInvalid(doc, { allowed }) {
    if (!Array.isArray(doc.schemes) || doc.schemes.length === 0) {
      return [{ message: `schemes must list at least one of ${allowed.join(', ')}`, path: ['schemes'] }];
    }
    return doc.schemes.flatMap((scheme, index) =>
      allowed.includes(scheme) ? [] : [{ message: `scheme ${quote(scheme)} is not allowed; use ${allowed.join(' or ')}`, path: ['schemes', index] }],
    );
  },
);
