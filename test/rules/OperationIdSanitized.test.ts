import { ruleSuite } from './helpers.js';

ruleSuite('OperationIdSanitized', {
  failing: [
    {
      name: 'an operationId with an underscore',
      mutate: doc => {
        doc.paths['/tasks'].get.operationId = 'list_tasks';
      },
      path: ['paths', '/tasks', 'get', 'operationId'],
      message: /"list_tasks".*"ListTasks"/,
    },
  ],
  passing: [
    {
      name: 'a camelCase operationId',
      mutate: doc => {
        doc.paths['/tasks'].get.operationId = 'listTasks';
      },
    },
  ],
});
