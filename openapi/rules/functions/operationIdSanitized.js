// [OperationIdSanitized] operationId is alphanumeric PascalCase or camelCase.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'string' }, options: null }, function operationIdSanitized(id) {
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(id)) return [];
  const suggestion = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join('')
    .replace(/^\d+/, '');
  return [{ message: `operationId ${quote(id)} must be letters and digits only${suggestion ? ` (e.g. "${suggestion}")` : ''}` }];
});
