// Only the x-ms-* extensions Microsoft's apiDefinition schema allows, where it
// allows them (the import rejects the rest). Other vendor extensions use "x-"
// without "ms-".
import { createRulesetFunction } from '@stoplight/spectral-core';
import { walkDocument } from '../lib/oas2.js';

// From apiDefinition.swagger.schema.json (microsoft/PowerPlatformConnectors).
const PARAMETER_COMMON = ['x-ms-dynamic-list', 'x-ms-dynamic-values', 'x-ms-summary', 'x-ms-test-value', 'x-ms-visibility'];
const NON_BODY = [...PARAMETER_COMMON, 'x-ms-enum-values', 'x-ms-localizeDefaultValue', 'x-ms-parameter-location', 'x-ms-trigger-value'];
const ALLOWED = {
  root: ['x-ms-capabilities', 'x-ms-connector-metadata', 'x-ms-docs'],
  info: ['x-ms-deployment-version', 'x-ms-api-annotation'],
  operation: [
    'x-ms-api-annotation', 'x-ms-capabilities', 'x-ms-no-generic-test', 'x-ms-operation-context', 'x-ms-pageable',
    'x-ms-safe-operation', 'x-ms-summary', 'x-ms-trigger', 'x-ms-trigger-hint', 'x-ms-trigger-metadata',
    'x-ms-notification', 'x-ms-visibility',
  ],
  pathItem: ['x-ms-notification-content'],
  response: ['x-ms-summary'],
  header: ['x-ms-summary', 'x-ms-visibility'],
  'parameter:body': PARAMETER_COMMON,
  'parameter:header': NON_BODY,
  'parameter:formData': NON_BODY,
  'parameter:query': [...NON_BODY, 'x-ms-dynamic-tree', 'x-ms-url-encoding'],
  'parameter:path': [...NON_BODY, 'x-ms-dynamic-tree', 'x-ms-url-encoding', 'x-ms-skip-url-encoding'],
  schema: [
    'x-ms-dynamic-list', 'x-ms-dynamic-values', 'x-ms-enum', 'x-ms-enum-values', 'x-ms-localizeDefaultValue',
    'x-ms-media-kind', 'x-ms-notification-url', 'x-ms-summary', 'x-ms-test-value', 'x-ms-visibility',
    'x-ms-dynamic-schema', 'x-ms-dynamic-properties', 'x-ms-dynamic-tree',
  ],
};
const KNOWN = new Set(Object.values(ALLOWED).flat());

const LABEL = {
  root: 'the document root',
  paths: 'the paths object',
  pathItem: 'a path item',
  responses: 'the responses object',
  securityScheme: 'a security definition',
  externalDocs: 'externalDocs',
};

export default createRulesetFunction({ input: { type: 'object' }, options: null }, function unknownMsExtension(doc) {
  const results = [];
  walkDocument(doc, (node, kind, path) => {
    const place = kind === 'parameter' ? `parameter:${node.in}` : kind;
    const allowed = ALLOWED[place] ?? [];
    for (const key of Object.keys(node)) {
      if (!key.startsWith('x-ms-') || allowed.includes(key)) continue;
      const label = kind === 'parameter' ? `a ${node.in} parameter` : LABEL[kind] ?? `a ${kind} object`;
      const message = KNOWN.has(key)
        ? `${key} is not allowed on ${label}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`
        : `${key} is not a Power Platform extension; rename it to "x-${key.slice(5)}" or remove it`;
      results.push({ message, path: [...path, key] });
    }
  });
  return results;
});
