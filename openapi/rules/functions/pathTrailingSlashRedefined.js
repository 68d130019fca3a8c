// No two paths differ only by a trailing slash (certification's PathRedefined). Paths that
// differ by letter case are PathRedefined's, an error.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { redefinedPaths } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathTrailingSlashRedefined(paths, _options, context) {
  return redefinedPaths(paths)
    .filter(({ caseDiffers }) => !caseDiffers)
    .map(({ key, earlier }) => ({ message: `path "${key}" redefines "${earlier}" (a trailing slash differs)`, path: [...context.path, key] }));
});
