// [PathRedefined] no two paths differ only by letter case or a trailing slash.
import { createRulesetFunction } from '@stoplight/spectral-core';

const normalize = key => (key.length > 1 ? key.replace(/\/+$/, '') : key).toLowerCase();

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathRedefined(paths, _options, context) {
  const seen = new Map();
  const results = [];
  for (const key of Object.keys(paths)) {
    if (key.startsWith('x-')) continue;
    const normalized = normalize(key);
    if (seen.has(normalized)) results.push({ message: `path "${key}" redefines "${seen.get(normalized)}"`, path: [...context.path, key] });
    else seen.set(normalized, key);
  }
  return results;
});
