import { ruleSuite } from './helpers.js';

ruleSuite('XMsSummaryNotTitleCase', {
  failing: [
    {
      name: 'a sentence-case x-ms-summary',
      mutate: doc => {
        doc.definitions.Task.properties.dueDateTime['x-ms-summary'] = 'Due date time';
      },
      path: ['definitions', 'Task', 'properties', 'dueDateTime', 'x-ms-summary'],
      message: /"date", "time"/,
    },
    {
      name: 'a camelCase word',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-summary'] = 'eTag';
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-summary'],
    },
  ],
  passing: [
    {
      name: 'minor words, acronyms and numbers',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-summary'] = 'Number of Tasks to Return (Max 100) per ID';
      },
    },
  ],
});
