// [MimeTypeNotValid] consumes lists only media types Power Platform can send.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'string' },
    options: { type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } } }, required: ['allowed'], additionalProperties: false },
  },
  function mimeTypeNotValid(mimeType, { allowed }) {
    const bare = mimeType.split(';')[0].trim().toLowerCase();
    if (allowed.includes(bare)) return [];
    return [{ message: `consumes ${quote(mimeType)} is not allowed (allowed: ${allowed.join(', ')})` }];
  },
);
