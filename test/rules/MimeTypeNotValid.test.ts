import { ruleSuite } from './helpers.js';

ruleSuite('MimeTypeNotValid', {
  failing: [
    {
      name: 'XML in an operation consumes',
      mutate: doc => {
        doc.paths['/tasks'].post.consumes = ['application/xml'];
      },
      path: ['paths', '/tasks', 'post', 'consumes', 0],
      message: /"application\/xml"/,
    },
    {
      name: 'CSV in the global consumes',
      mutate: doc => {
        doc.consumes.push('text/csv');
      },
      path: ['consumes', 1],
      message: /"text\/csv"/,
    },
  ],
  passing: [
    {
      name: 'allowed types with parameters',
      mutate: doc => {
        doc.consumes = ['application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain'];
      },
    },
  ],
});
