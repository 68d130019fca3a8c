// [InvalidConnectorCategory] every category comes from Microsoft's fixed list. Letter case is
// not checked: certified connectors list "Social media" (Socialinsider) and "website" (LegalBot).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { connectorCategories } from '../lib/oas2.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { categories: { type: 'array', items: { type: 'string' } } }, required: ['categories'], additionalProperties: false },
  },
  function invalidConnectorCategory(doc, { categories: allowed }) {
    const found = connectorCategories(doc);
    if (found === null) return [];
    const known = new Set(allowed.map(c => c.toLowerCase()));
    const invalid = found.categories.filter(c => !known.has(c.toLowerCase()));
    if (invalid.length === 0) return [];
    return [{ message: `unknown connector categor${invalid.length > 1 ? 'ies' : 'y'} ${invalid.map(c => `"${c}"`).join(', ')}`, path: found.path }];
  },
);
