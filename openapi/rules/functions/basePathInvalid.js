// basePath, when present, starts with "/".
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function basePathInvalid(doc) {
  if (!('basePath' in doc)) return [];
  if (typeof doc.basePath === 'string' && doc.basePath.startsWith('/') && !/[?#\s]/.test(doc.basePath)) return [];
  return [{ message: `basePath ${quote(String(doc.basePath))} must start with "/" and hold only a path`, path: ['basePath'] }];
});
