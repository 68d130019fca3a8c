import { ruleSuite } from './helpers.js';

// The corpus: every x-ms-pageable of the accepted connectors (55) has a nextLinkName.
ruleSuite('PageableNextLinkMissing', {
  failing: [
    {
      name: 'x-ms-pageable without nextLinkName',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'] = {};
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable'],
      message: /x-ms-pageable has no nextLinkName/,
    },
    {
      name: 'an empty nextLinkName',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = '';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable', 'nextLinkName'],
    },
    {
      name: 'x-ms-pageable as a flag',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'] = true;
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable'],
      message: /x-ms-pageable "true" is not an object/,
    },
  ],
  passing: [
    {
      name: 'another property name (PageableNextLinkNameInvalid reports it)',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = 'next';
      },
    },
  ],
});
