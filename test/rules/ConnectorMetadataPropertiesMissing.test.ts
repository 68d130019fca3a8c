import { ruleSuite } from './helpers.js';

ruleSuite('ConnectorMetadataPropertiesMissing', {
  failing: [
    {
      name: 'no x-ms-connector-metadata (reported on the document)',
      mutate: doc => {
        delete doc['x-ms-connector-metadata'];
      },
      path: [],
      message: /Website, Privacy policy, Categories/,
    },
    {
      name: 'no privacy policy',
      mutate: doc => {
        doc['x-ms-connector-metadata'].splice(1, 1);
      },
      path: ['x-ms-connector-metadata'],
      message: /"Privacy policy"/,
    },
    {
      name: 'a website that is no URL',
      mutate: doc => {
        doc['x-ms-connector-metadata'][0].propertyValue = 'contoso.com';
      },
      path: ['x-ms-connector-metadata', 0, 'propertyValue'],
      message: /"contoso\.com"/,
    },
    {
      name: 'an empty categories value',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = ' ';
      },
      path: ['x-ms-connector-metadata', 2, 'propertyValue'],
      message: /"Categories"/,
    },
  ],
});
