// A path item is written out, not a $ref.
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pathItemRef(pathItem, _options, context) {
  if (!('$ref' in pathItem)) return [];
  return [{ message: `path item "${context.path[context.path.length - 1]}" is a $ref (${String(pathItem.$ref)})`, path: [...context.path, '$ref'] }];
});
