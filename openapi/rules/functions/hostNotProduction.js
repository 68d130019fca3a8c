// Certified connectors call the production host, not a staging/dev/test one.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost']);

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { markers: { type: 'array', items: { type: 'string' } } }, required: ['markers'], additionalProperties: false },
  },
  function hostNotProduction(doc, { markers }) {
    if (typeof doc.host !== 'string') return [];
    // A top-level domain is no marker (.dev and .qa are production TLDs, used by accepted
    // connectors: Sparse Power Box Tools calls api.powerbox.bysparse.dev), except the ones
    // reserved for non-production use (RFC 2606, RFC 6761), which never reach a real service.
    const parts = doc.host.toLowerCase().replace(/:\d+$/, '').split('.');
    const tldIsMarker = parts.length === 1 || RESERVED_TLDS.has(parts.at(-1));
    const labels = (tldIsMarker ? parts : parts.slice(0, -1)).join('.').split(/[.-]/);
    const marker = markers.find(m => labels.includes(m.toLowerCase()));
    if (marker === undefined && !/^(\d+\.){3}\d+$/.test(doc.host.replace(/:\d+$/, ''))) return [];
    return [{ message: `host ${quote(doc.host)} looks like a non-production host${marker ? ` ("${marker}")` : ''}`, path: ['host'] }];
  },
);
