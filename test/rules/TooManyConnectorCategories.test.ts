import { ruleSuite } from './helpers.js';

ruleSuite('TooManyConnectorCategories', {
  failing: [
    {
      name: 'three categories',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = 'Productivity;Collaboration;Data';
      },
      path: ['x-ms-connector-metadata', 2, 'propertyValue'],
      message: /3 categories/,
    },
  ],
  passing: [
    {
      name: 'one category',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = 'Data';
      },
    },
  ],
});
