// x-ms-enum-values gives a displayName to values of the enum beside it.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, isObject, walkDocument } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const KEY = 'x-ms-enum-values';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function enumValuesInvalid(doc) {
  const results = [];
  walkDocument(doc, (node, _kind, path) => {
    if (!(KEY in node)) return;
    const values = node[KEY];
    const enumeration = Array.isArray(node.enum) ? node.enum : isObject(node.items) && Array.isArray(node.items.enum) ? node.items.enum : null;
    if (!Array.isArray(values)) {
      results.push({ message: `${KEY} must be a list of {value, displayName}`, path: [...path, KEY] });
      return;
    }
    if (enumeration === null) {
      results.push({ message: `${KEY} without an enum to describe`, path: [...path, KEY] });
      return;
    }
    values.forEach((entry, index) => {
      const entryPath = [...path, KEY, index];
      if (!isObject(entry)) {
        results.push({ message: `${KEY}[${index}] must be an object with value and displayName`, path: entryPath });
        return;
      }
      if (!enumeration.some(value => value === entry.value)) {
        results.push({ message: `${KEY} value ${quote(String(entry.value))} is not in the enum`, path: [...entryPath, 'value'] });
      }
      if (!isNonEmptyString(entry.displayName)) results.push({ message: `${KEY} value ${quote(String(entry.value))} has no displayName`, path: entryPath });
    });
  });
  return results;
});
