// The packaged apiDefinition.swagger.json is at most 1 MB. Measured as the JSON
// the package step writes (2-space indentation), which is what gets uploaded.
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { maxBytes: { type: 'integer' } }, required: ['maxBytes'], additionalProperties: false },
  },
  function fileTooLarge(doc, { maxBytes }) {
    const bytes = new TextEncoder().encode(JSON.stringify(doc, null, 2)).length;
    if (bytes <= maxBytes) return [];
    return [{ message: `the definition is ${bytes} bytes as JSON, over the ${maxBytes}-byte limit`, path: [] }];
  },
);
