import { ruleSuite } from './helpers.js';

ruleSuite('InvalidConnectorCategory', {
  failing: [
    {
      name: 'a category outside the list',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = 'Productivity;CRM';
      },
      path: ['x-ms-connector-metadata', 2, 'propertyValue'],
      message: /"CRM"/,
    },
  ],
  passing: [
    {
      name: 'a multi-word category with spaces around the separator',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = 'Sales and CRM ; Productivity';
      },
    },
  ],
});
