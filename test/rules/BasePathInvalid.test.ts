import { ruleSuite } from './helpers.js';

ruleSuite('BasePathInvalid', {
  failing: [
    {
      name: 'a basePath without leading slash',
      mutate: doc => {
        doc.basePath = 'v1';
      },
      path: ['basePath'],
      message: /"v1"/,
    },
  ],
  passing: [
    {
      name: 'no basePath',
      mutate: doc => {
        delete doc.basePath;
      },
    },
    {
      name: 'a nested basePath',
      mutate: doc => {
        doc.basePath = '/v1.0/engagements';
      },
    },
  ],
});
