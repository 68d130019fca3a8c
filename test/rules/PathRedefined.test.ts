import { ruleSuite } from './helpers.js';

const operation = { operationId: 'ListTasksAgain', responses: { '200': { description: 'Tasks.' } } };

ruleSuite('PathRedefined', {
  failing: [
    {
      name: 'a path differing only by case',
      mutate: doc => {
        doc.paths['/Tasks'] = { get: operation };
      },
      path: ['paths', '/Tasks'],
      message: /"\/Tasks" redefines "\/tasks"/,
    },
    {
      name: 'a path differing only by a trailing slash',
      mutate: doc => {
        doc.paths['/tasks/{taskId}/'] = { get: operation };
      },
      path: ['paths', '/tasks/{taskId}/'],
    },
  ],
  passing: [
    {
      name: 'a sub-path',
      mutate: doc => {
        doc.paths['/tasks/archive'] = { get: operation };
      },
    },
  ],
});
