// x-ms-visibility is written as one of the allowed values, in lower case; normal visibility is
// no x-ms-visibility at all. Reports the forms accepted connectors carry (an empty value, a
// capitalised one, "none"); InvalidVisibility (an error) reports unknown values.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { VISIBILITY_OPTIONS, visibilityKind, walkDocument } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: VISIBILITY_OPTIONS,
  },
  function visibilityNotCanonical(doc, { allowed, tolerated }) {
    const results = [];
    walkDocument(doc, (node, _kind, path) => {
      if (!('x-ms-visibility' in node)) return;
      const value = node['x-ms-visibility'];
      const kind = visibilityKind(value, allowed, tolerated);
      const message = {
        empty: 'x-ms-visibility is empty: remove it for normal visibility',
        case: `x-ms-visibility ${quote(value)} must be lower case (${quote(String(value).toLowerCase())})`,
        tolerated: `x-ms-visibility ${quote(value)} is none of ${allowed.join(', ')}: remove it for normal visibility`,
      }[kind];
      if (message) results.push({ message, path: [...path, 'x-ms-visibility'] });
    });
    return results;
  },
);
