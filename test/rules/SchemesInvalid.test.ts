import { ruleSuite } from './helpers.js';

ruleSuite('SchemesInvalid', {
  failing: [
    {
      name: 'a websocket scheme',
      mutate: doc => {
        doc.schemes = ['wss'];
      },
      path: ['schemes', 0],
      message: /"wss"/,
    },
    {
      name: 'an empty schemes list',
      mutate: doc => {
        doc.schemes = [];
      },
      path: ['schemes'],
    },
  ],
  passing: [
    {
      name: 'https plus http',
      mutate: doc => {
        doc.schemes = ['https', 'http'];
      },
    },
  ],
});
