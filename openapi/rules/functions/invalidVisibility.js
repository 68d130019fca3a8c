// x-ms-visibility is important, advanced or internal. An empty value, another letter case or
// "none" are VisibilityNotCanonical's (a warning): accepted connectors carry them. Any other
// value, such as "hidden", is refused by Microsoft's schema (an enum) and no accepted connector
// has one, so it is this rule's, an error.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { VISIBILITY_OPTIONS, visibilityKind, walkDocument } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: VISIBILITY_OPTIONS,
  },
  function invalidVisibility(doc, { allowed, tolerated }) {
    const results = [];
    walkDocument(doc, (node, _kind, path) => {
      if ('x-ms-visibility' in node && visibilityKind(node['x-ms-visibility'], allowed, tolerated) === 'unknown') {
        results.push({ message: `x-ms-visibility ${quote(node['x-ms-visibility'])} must be ${allowed.join(', ')}`, path: [...path, 'x-ms-visibility'] });
      }
    });
    return results;
  },
);
