// Certified connectors call the production host, not a staging/dev/test one.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { quote } from '../lib/text.js';

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { markers: { type: 'array', items: { type: 'string' } } }, required: ['markers'], additionalProperties: false },
  },
  function hostNotProduction(doc, { markers }) {
    if (typeof doc.host !== 'string') return [];
    // The top-level domain is no marker: .dev and .qa (Qatar) are production TLDs, used by
    // accepted connectors (Sparse Power Box Tools: api.powerbox.bysparse.dev).
    const parts = doc.host.toLowerCase().replace(/:\d+$/, '').split('.');
    const labels = (parts.length > 1 ? parts.slice(0, -1) : parts).join('.').split(/[.-]/);
    const marker = markers.find(m => labels.includes(m.toLowerCase()));
    if (marker === undefined && !/^(\d+\.){3}\d+$/.test(doc.host.replace(/:\d+$/, ''))) return [];
    return [{ message: `host ${quote(doc.host)} looks like a non-production host${marker ? ` ("${marker}")` : ''}`, path: ['host'] }];
  },
);
