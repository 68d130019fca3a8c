import { ruleSuite } from './helpers.js';

ruleSuite('SuccessResponseMissing', {
  failing: [
    {
      name: 'an operation with only an error response',
      mutate: doc => {
        delete doc.paths['/tasks/{taskId}'].get.responses['200'];
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses'],
      message: /has 404/,
    },
  ],
  passing: [
    {
      name: 'a 202 Accepted response',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].delete.responses = { '202': { description: 'Deletion started.' } };
      },
    },
  ],
});
