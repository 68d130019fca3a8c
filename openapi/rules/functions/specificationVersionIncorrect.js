// [SpecificationVersionIncorrect] Power Platform imports Swagger 2.0 only, and the
// version must be the string "2.0" (YAML `swagger: 2.0` is the number 2).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function specificationVersionIncorrect(doc) {
  if (doc.swagger === '2.0') return [];
  if ('openapi' in doc) {
    return [{ message: `openapi ${quote(String(doc.openapi))} is not accepted: Power Platform needs swagger "2.0"`, path: ['openapi'] }];
  }
  return [{ message: `swagger is ${quote(doc.swagger === undefined ? 'missing' : doc.swagger)}, expected the string "2.0"`, path: ['swagger'] }];
});
