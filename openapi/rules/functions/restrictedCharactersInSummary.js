// [RestrictedCharactersInSummary] a summary holds only letters, digits, spaces and parentheses.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'string' }, options: null }, function restrictedCharactersInSummary(summary) {
  const restricted = [...new Set(summary.match(/[^A-Za-z0-9 ()]/g) ?? [])];
  if (restricted.length === 0) return [];
  return [{ message: `summary ${quote(summary)} contains ${restricted.map(c => JSON.stringify(c)).join(' ')}` }];
});
