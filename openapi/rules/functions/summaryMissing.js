// Every operation the designer shows has a summary: it is the action's name there. Internal
// operations (dynamic values, schemas) are hidden, and certified connectors leave their summary
// out (AzureIoTCentral, App Power Forms, Muhimbi PDF Converter Online, WooCommerce).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isNonEmptyString } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function summaryMissing(operation) {
  if (isNonEmptyString(operation.summary) || operation['x-ms-visibility'] === 'internal') return [];
  return [{ message: `operation${typeof operation.operationId === 'string' ? ` ${operation.operationId}` : ''} has no summary` }];
});
