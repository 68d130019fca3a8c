// [PathRedefined] no two paths differ only by letter case: no accepted connector has such a
// pair, and importing one fails. Paths that differ only by a trailing slash are
// PathTrailingSlashRedefined's (a warning): certified connectors have them.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { redefinedPaths } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathRedefined(paths, _options, context) {
  return redefinedPaths(paths)
    .filter(({ caseDiffers }) => caseDiffers)
    .map(({ key, earlier }) => ({ message: `path "${key}" redefines "${earlier}" (letter case differs)`, path: [...context.path, key] }));
});
