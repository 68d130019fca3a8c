// [ConnectorMetadataPropertiesMissing] x-ms-connector-metadata lists Website,
// Privacy policy and Categories; the first two are http(s) URLs.
import { createRulesetFunction } from '@stoplight/spectral-core';
import { METADATA, isNonEmptyString, metadataEntry } from '../lib/oas2.js';
import { quote } from '../lib/text.js';

const names = { type: 'array', items: { type: 'string' } };

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: { type: 'object', properties: { required: names, urls: names }, required: ['required', 'urls'], additionalProperties: false },
  },
  function connectorMetadataPropertiesMissing(doc, { required, urls }) {
    if (!Array.isArray(doc[METADATA])) {
      return [{ message: `${METADATA} is missing; add ${required.join(', ')}`, path: [METADATA] }];
    }
    const results = [];
    for (const name of required) {
      const found = metadataEntry(doc, name);
      if (found === null || !isNonEmptyString(found.entry.propertyValue)) {
        results.push({ message: `${METADATA} has no "${name}" value`, path: found === null ? [METADATA] : [...found.path, 'propertyValue'] });
      } else if (urls.includes(name) && !/^https?:\/\/[^\s/]+/.test(found.entry.propertyValue)) {
        results.push({ message: `${METADATA} "${name}" ${quote(found.entry.propertyValue)} is not an http(s) URL`, path: [...found.path, 'propertyValue'] });
      }
    }
    return results;
  },
);
