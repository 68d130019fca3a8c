import { ruleSuite } from './helpers.js';

// The corpus: the certified Almabase pages through "nextlink" (3 operations).
ruleSuite('PageableNextLinkNameInvalid', {
  failing: [
    {
      name: 'the lower-case name of an accepted connector',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = 'nextlink';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable', 'nextLinkName'],
      message: /"nextlink" must be nextLink or @odata\.nextLink/,
    },
    {
      name: 'a next link property with another name',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = 'next';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable', 'nextLinkName'],
      message: /"next"/,
    },
  ],
  passing: [
    {
      name: '@odata.nextLink',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = '@odata.nextLink';
      },
    },
    {
      name: 'x-ms-pageable without nextLinkName (PageableNextLinkMissing reports it)',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'] = {};
      },
    },
  ],
});
