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
    {
      name: 'an advanced operation without summary',
      mutate: doc => {
        delete doc.paths['/tasks'].post.summary;
        doc.paths['/tasks'].post['x-ms-visibility'] = 'advanced';
      },
      path: ['paths', '/tasks', 'post'],
      message: /CreateTask has no summary/,
    },
  ],
  passing: [
    {
      // Real pattern: AzureIoTCentral's internal schema operations (certified) have no summary.
      name: 'an internal operation without summary',
      mutate: doc => {
        delete doc.paths['/tasks'].post.summary;
        doc.paths['/tasks'].post['x-ms-visibility'] = 'internal';
      },
    },
  ],
});
