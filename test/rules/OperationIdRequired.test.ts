import { ruleSuite } from './helpers.js';

ruleSuite('OperationIdRequired', {
  failing: [
    {
      name: 'an operation without operationId',
      mutate: doc => {
        delete doc.paths['/tasks'].get.operationId;
      },
      path: ['paths', '/tasks', 'get'],
      message: /GET \/tasks has no operationId/,
    },
    {
      name: 'an empty operationId',
      mutate: doc => {
        doc.paths['/tasks'].post.operationId = ' ';
      },
      path: ['paths', '/tasks', 'post'],
    },
  ],
});
