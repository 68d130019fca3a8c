// [InternalPropertyWithDefaultOptional] a required parameter or property hidden
// with x-ms-visibility: internal has a default, since no user can fill it in.
// Exempt: a field marked x-ms-notification-url, which the platform fills with the
// trigger's callback URL (openapi-extensions doc; 113 accepted connectors rely on it).
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function internalPropertyWithDefaultOptional(doc) {
  const results = [];
  walkDocument(doc, (node, kind, path, { parent, propertyName }) => {
    if (node['x-ms-visibility'] !== 'internal' || 'default' in node || node['x-ms-notification-url'] === true) return;
    if (kind === 'parameter' && node.required === true) {
      results.push({ message: `required internal parameter "${node.name}" has no default`, path });
    } else if (kind === 'schema' && propertyName !== null && Array.isArray(parent?.required) && parent.required.includes(propertyName)) {
      results.push({ message: `required internal property "${propertyName}" has no default`, path });
    }
  });
  return results;
});
