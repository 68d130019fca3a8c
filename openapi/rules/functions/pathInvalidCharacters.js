// Path keys start with "/" and contain no "?", "#" or "*".
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathInvalidCharacters(paths, _options, context) {
  const results = [];
  for (const key of Object.keys(paths)) {
    if (key.startsWith('x-')) continue;
    const bad = [...new Set(key.match(/[?#*]/g) ?? [])];
    if (!key.startsWith('/')) results.push({ message: `path "${key}" does not start with "/"`, path: [...context.path, key] });
    if (bad.length) results.push({ message: `path "${key}" contains ${bad.map(c => `"${c}"`).join(' ')}`, path: [...context.path, key] });
  }
  return results;
});
