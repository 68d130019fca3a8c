// x-ms-summary is written in Title Case ("Referral ID", "Created Date Time").
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';
import { quote, titleCaseProblems } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function xMsSummaryNotTitleCase(doc) {
  const results = [];
  walkDocument(doc, (node, _kind, path) => {
    const summary = node['x-ms-summary'];
    if (typeof summary !== 'string') return;
    const problems = titleCaseProblems(summary);
    if (problems.length > 0) {
      results.push({ message: `x-ms-summary ${quote(summary)} is not Title Case (${problems.map(w => `"${w}"`).join(', ')})`, path: [...path, 'x-ms-summary'] });
    }
  });
  return results;
});
