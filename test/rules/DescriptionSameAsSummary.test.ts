import { ruleSuite } from './helpers.js';

ruleSuite('DescriptionSameAsSummary', {
  failing: [
    {
      name: 'a description repeating the summary',
      mutate: doc => {
        doc.paths['/tasks'].get.description = 'List tasks.';
      },
      path: ['paths', '/tasks', 'get', 'description'],
      message: /"List tasks"/,
    },
  ],
});
