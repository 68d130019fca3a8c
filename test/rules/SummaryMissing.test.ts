import { ruleSuite } from './helpers.js';

ruleSuite('SummaryMissing', {
  failing: [
    {
      name: 'an operation without summary',
      mutate: doc => {
        delete doc.paths['/tasks'].post.summary;
      },
      path: ['paths', '/tasks', 'post'],
      message: /CreateTask has no summary/,
    },
  ],
});
