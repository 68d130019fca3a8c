// A request or response body is described by at most 512 schemas (resolved, so
// every $ref'd definition counts where it is used).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, pathItemOperations, responses, walkSchema } from '../lib/oas2.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'], additionalProperties: false },
  },
  function bodySchemaTooLarge(pathItem, { max }, context) {
    const results = [];
    const check = (schema, path, what) => {
      let count = 0;
      walkSchema(schema, path, () => {
        count += 1;
      });
      if (count > max) results.push({ message: `${what} is described by ${count} schemas, at most ${max} allowed`, path });
    };
    const bodies = [[pathItem.parameters, context.path]];
    for (const { operation, path } of pathItemOperations(pathItem, context.path)) {
      bodies.push([operation.parameters, path]);
      for (const { code, response, path: responsePath } of responses(operation, path)) {
        if (isObject(response.schema)) check(response.schema, [...responsePath, 'schema'], `the ${code} response body`);
      }
    }
    for (const [parameters, path] of bodies) {
      if (!Array.isArray(parameters)) continue;
      parameters.forEach((parameter, index) => {
        if (isObject(parameter) && parameter.in === 'body') check(parameter.schema, [...path, 'parameters', index, 'schema'], 'the request body');
      });
    }
    return results;
  },
);
