import { ruleSuite } from './helpers.js';

const operation = { operationId: 'ListTasksAgain', responses: { '200': { description: 'Tasks.' } } };

// The corpus: no accepted connector has two paths that differ only by letter case.
ruleSuite('PathRedefined', {
  failing: [
    {
      name: 'a path differing only by case',
      mutate: doc => {
        doc.paths['/Tasks'] = { get: operation };
      },
      path: ['paths', '/Tasks'],
      message: /"\/Tasks" redefines "\/tasks" \(letter case differs\)/,
    },
    {
      name: 'a path differing by case and a trailing slash',
      mutate: doc => {
        doc.paths['/Tasks/'] = { get: operation };
      },
      path: ['paths', '/Tasks/'],
    },
  ],
  passing: [
    {
      name: 'a sub-path',
      mutate: doc => {
        doc.paths['/tasks/archive'] = { get: operation };
      },
    },
    {
      name: 'a path differing only by a trailing slash (PathTrailingSlashRedefined reports it)',
      mutate: doc => {
        doc.paths['/tasks/{taskId}/'] = { get: operation };
      },
    },
  ],
});
