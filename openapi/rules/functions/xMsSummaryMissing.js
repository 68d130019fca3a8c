// Every parameter and every property of a success response has an x-ms-summary
// (its label in the designer). Runs on the resolved document, so a property of
// a $ref'd definition is reported inside that definition, where it is fixed.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString, pathItemOperations, pathItemParameters, walkSuccessResponseProperties } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function xMsSummaryMissing(pathItem, _options, context) {
  const results = [];
  for (const { parameter, path } of pathItemParameters(pathItem, context.path)) {
    if (!isNonEmptyString(parameter['x-ms-summary'])) results.push({ message: `parameter "${parameter.name}" has no x-ms-summary`, path });
  }
  for (const { operation, path } of pathItemOperations(pathItem, context.path)) {
    walkSuccessResponseProperties(operation, path, (property, propertyPath, { propertyName }) => {
      if (!isNonEmptyString(property['x-ms-summary'])) results.push({ message: `response property "${propertyName}" has no x-ms-summary`, path: propertyPath });
    });
  }
  return results;
});
