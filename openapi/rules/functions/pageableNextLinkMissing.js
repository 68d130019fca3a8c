// x-ms-pageable is an object naming the response property that holds the next page's URL
// (nextLinkName, a string): Microsoft's schema requires it and no accepted connector lacks it.
// Which name it gives is PageableNextLinkNameInvalid's (a warning).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, isObject } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function pageableNextLinkMissing(operation, _options, context) {
  if (!('x-ms-pageable' in operation)) return [];
  const pageable = operation['x-ms-pageable'];
  if (!isObject(pageable)) return [{ message: `x-ms-pageable ${quote(pageable)} is not an object with a nextLinkName`, path: [...context.path, 'x-ms-pageable'] }];
  if (isNonEmptyString(pageable.nextLinkName)) return [];
  const where = 'nextLinkName' in pageable ? ['nextLinkName'] : [];
  return [{ message: 'x-ms-pageable has no nextLinkName', path: [...context.path, 'x-ms-pageable', ...where] }];
});
