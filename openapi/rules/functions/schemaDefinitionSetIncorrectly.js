// [SchemaDefinitionSetIncorrectly] a 200/201 response has a schema; a 204 has none.
// Runs on the unresolved document so a schema is reported on the response, not
// inside the definition it references.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { responses } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function schemaDefinitionSetIncorrectly(operation, _options, context) {
  const results = [];
  for (const { code, response, path } of responses(operation, context.path, context.document.data)) {
    if ((code === '200' || code === '201') && !('schema' in response)) {
      results.push({ message: `${code} response has no schema`, path });
    } else if (code === '204' && 'schema' in response) {
      results.push({ message: '204 No Content response has a schema', path: [...path, 'schema'] });
    }
  }
  return results;
});
