// The Swagger 2.0 schema, as spectral:oas oas2-schema checks it, minus what accepted connectors
// break: oas2-schema stays on as a warning for everything (calibrated on those connectors), and
// this rule repeats as errors the violations of a kind no accepted connector has. Kinds accepted
// connectors have (openapi/rules/README.md, Calibration): an operation whose responses object
// is empty (webhook operations), an unexpected key at the document root (a misspelt
// "basepath"), a securityDefinitions entry the schema refuses (an oauth2 one without scopes);
// host is HostInvalid's and HostNotSet's, which tell its cases apart.
import { createRulesetFunction } from '@stoplight/spectral-core';
import oasDocumentSchema from '@stoplight/spectral-rulesets/dist/oas/functions/oasDocumentSchema.js';

const tolerated = ({ path, message }) =>
  (path.at(-1) === 'responses' && /property must not (be valid|have fewer than 1 properties)$/.test(message)) ||
  (path.length === 1 && /^Property ".*" is not expected to be here$/.test(message)) ||
  path[0] === 'securityDefinitions' ||
  path[0] === 'host';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function swaggerSchemaInvalid(doc, _options, context) {
  return (oasDocumentSchema(doc, null, context) ?? []).filter(result => !tolerated(result));
});
