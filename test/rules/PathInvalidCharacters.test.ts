import { ruleSuite } from './helpers.js';

const operation = { operationId: 'ExportTasks', responses: { '200': { description: 'The export.' } } };

ruleSuite('PathInvalidCharacters', {
  failing: [
    {
      name: 'a query string in a path',
      mutate: doc => {
        doc.paths['/tasks?format=csv'] = { get: operation };
      },
      path: ['paths', '/tasks?format=csv'],
      message: /"\?"/,
    },
    {
      name: 'a wildcard in a path',
      mutate: doc => {
        doc.paths['/tasks/*'] = { get: operation };
      },
      path: ['paths', '/tasks/*'],
      message: /"\*"/,
    },
    {
      name: 'a path without leading slash',
      mutate: doc => {
        doc.paths['tasks/export'] = { get: operation };
      },
      path: ['paths', 'tasks/export'],
      message: /does not start with "\/"/,
    },
  ],
});
