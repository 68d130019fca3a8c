// Connector strings are English: flags user-facing text written in another script
// (e.g. Japanese copied from a localized page).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, walkDocument } from '../lib/oas2.js';
import { nonEnglishCharacter, quote } from '../lib/text.js';

const FIELDS = ['title', 'description', 'summary', 'x-ms-summary', 'x-ms-trigger-hint'];

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function textNotEnglish(doc) {
  const results = [];
  const check = (text, path) => {
    if (typeof text !== 'string') return;
    const character = nonEnglishCharacter(text);
    if (character !== null) results.push({ message: `${quote(text)} is not English (contains "${character}")`, path });
  };
  walkDocument(doc, (node, kind, path) => {
    for (const field of FIELDS) {
      if (field in node) check(node[field], [...path, field]);
    }
    const enumValues = node['x-ms-enum-values'];
    if (Array.isArray(enumValues)) {
      enumValues.forEach((entry, index) => {
        if (isObject(entry)) check(entry.displayName, [...path, 'x-ms-enum-values', index, 'displayName']);
      });
    }
  });
  return results;
});
