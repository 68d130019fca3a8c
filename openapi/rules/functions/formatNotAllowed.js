// format is one of the values Power Platform understands (no "guid": use "uuid").
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const TYPED = new Set(['parameter', 'items', 'header', 'schema']);

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } } }, required: ['allowed'], additionalProperties: false },
  },
  function formatNotAllowed(doc, { allowed }) {
    const results = [];
    walkDocument(doc, (node, kind, path) => {
      if (!TYPED.has(kind) || !('format' in node) || allowed.includes(node.format)) return;
      results.push({ message: `format ${quote(String(node.format))} is not allowed (allowed: ${allowed.join(', ')})`, path: [...path, 'format'] });
    });
    return results;
  },
);
