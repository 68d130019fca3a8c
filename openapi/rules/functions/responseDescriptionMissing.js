// Every response has a description with text. Only an empty one is reported here (a warning:
// certified connectors have them); a response without the key breaks the Swagger 2.0 schema,
// which SwaggerSchemaInvalid reports as an error (no accepted connector lacks it).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function responseDescriptionMissing(doc) {
  const results = [];
  walkDocument(doc, (node, kind, path) => {
    if (kind === 'response' && typeof node.description === 'string' && node.description.trim() === '') {
      results.push({ message: `response ${path[path.length - 1]} has an empty description`, path: [...path, 'description'] });
    }
  });
  return results;
});
