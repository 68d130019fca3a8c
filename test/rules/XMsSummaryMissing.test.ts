import { ruleSuite } from './helpers.js';

ruleSuite('XMsSummaryMissing', {
  failing: [
    {
      name: 'a parameter without x-ms-summary',
      mutate: doc => {
        delete doc.paths['/tasks'].get.parameters[0]['x-ms-summary'];
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0],
      message: /"status"/,
    },
    {
      name: 'a response property of a $ref\'d definition (reported once, in the definition)',
      mutate: doc => {
        delete doc.definitions.Task.properties.dueDateTime['x-ms-summary'];
      },
      path: ['definitions', 'Task', 'properties', 'dueDateTime'],
      message: /"dueDateTime"/,
    },
    {
      name: 'a nested property of an inline response schema',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.responses['200'].schema = {
          type: 'object',
          properties: { owner: { type: 'object', 'x-ms-summary': 'Owner', properties: { name: { type: 'string' } } } },
        };
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses', '200', 'schema', 'properties', 'owner', 'properties', 'name'],
    },
  ],
  passing: [
    {
      name: 'error-response properties without x-ms-summary (not designer outputs)',
      mutate: doc => {
        doc.definitions.Error.properties.target = { type: 'string', description: 'Where the error is.' };
      },
    },
  ],
});
