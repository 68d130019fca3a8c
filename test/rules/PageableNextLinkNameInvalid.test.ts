import { ruleSuite } from './helpers.js';

ruleSuite('PageableNextLinkNameInvalid', {
  failing: [
    {
      name: 'a next link property with another name',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = 'next';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable', 'nextLinkName'],
      message: /"next"/,
    },
    {
      name: 'x-ms-pageable without nextLinkName',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'] = {};
      },
      path: ['paths', '/tasks', 'get', 'x-ms-pageable'],
    },
  ],
  passing: [
    {
      name: '@odata.nextLink',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-pageable'].nextLinkName = '@odata.nextLink';
      },
    },
  ],
});
