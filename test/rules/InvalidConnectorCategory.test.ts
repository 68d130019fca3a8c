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
      // Real pattern: Socialinsider and LegalBot (certified) write "Social media" and "website".
      name: 'categories in another letter case',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = 'Social media;website';
      },
    },
    {
      name: 'a multi-word category with spaces around the separator',
      mutate: doc => {
        doc['x-ms-connector-metadata'][2].propertyValue = 'Sales and CRM ; Productivity';
      },
    },
  ],
});
