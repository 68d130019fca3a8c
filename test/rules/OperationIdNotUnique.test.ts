import { ruleSuite } from './helpers.js';

ruleSuite('OperationIdNotUnique', {
  failing: [
    {
      name: 'two operations with one operationId',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.operationId = 'ListTasks';
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'operationId'],
      message: /"ListTasks" is already used by GET \/tasks/,
    },
  ],
});
