// Descriptions of operations, parameters and response properties are full
// sentences: a capital first letter and closing punctuation.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, pathItemOperations, pathItemParameters, walkSuccessResponseProperties } from '../lib/oas2.js';
import { isSentence, quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function descriptionNotSentence(pathItem, _options, context) {
  const results = [];
  const check = (node, path) => {
    if (isObject(node) && typeof node.description === 'string' && !isSentence(node.description)) {
      results.push({ message: `description ${quote(node.description)} is not a full sentence`, path: [...path, 'description'] });
    }
  };
  for (const { parameter, path } of pathItemParameters(pathItem, context.path)) check(parameter, path);
  for (const { operation, path } of pathItemOperations(pathItem, context.path)) {
    check(operation, path);
    walkSuccessResponseProperties(operation, path, check);
  }
  return results;
});
