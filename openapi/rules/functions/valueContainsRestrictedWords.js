// [ValueContainsRestrictedWords] the title names neither "API"/"Connector" nor a
// Power Platform product; the description names no product.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { findWord, quote } from '../lib/text.js';

const list = { type: 'array', items: { type: 'string' } };

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { titleWords: list, productNames: list }, required: ['titleWords', 'productNames'], additionalProperties: false },
  },
  function valueContainsRestrictedWords(info, { titleWords, productNames }, context) {
    const results = [];
    const check = (field, restricted) => {
      if (typeof info[field] !== 'string') return;
      const found = restricted.map(word => findWord(info[field], word)).filter(Boolean);
      if (found.length > 0) {
        results.push({ message: `info.${field} ${quote(info[field])} contains restricted ${found.map(w => `"${w}"`).join(', ')}`, path: [...context.path, field] });
      }
    };
    check('title', [...titleWords, ...productNames]);
    check('description', productNames);
    return results;
  },
);
