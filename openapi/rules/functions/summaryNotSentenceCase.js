// Reviewers want operation summaries in sentence case ("Get all referrals").
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isSentenceCase, quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'string' }, options: null }, function summaryNotSentenceCase(summary) {
  if (isSentenceCase(summary)) return [];
  return [{ message: `summary ${quote(summary)} is not in sentence case` }];
});
