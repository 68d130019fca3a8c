import { ruleSuite } from './helpers.js';

// The corpus: no accepted connector has a placeholder without its path parameter, or one
// placeholder twice in a path.
ruleSuite('PathParameterUndefined', {
  failing: [
    {
      name: 'a placeholder no parameter defines',
      mutate: doc => {
        doc.paths['/lists/{listId}/tasks'] = { get: structuredClone(doc.paths['/tasks'].get) };
        doc.paths['/lists/{listId}/tasks'].get.operationId = 'ListListTasks';
      },
      path: ['paths', '/lists/{listId}/tasks', 'get'],
      message: /GET \/lists\/\{listId\}\/tasks defines no path parameter "listId" for \{listId\}/,
    },
    {
      name: 'a placeholder with a space and no parameter',
      mutate: doc => {
        doc.paths['/lists/{List Id}'] = { get: { operationId: 'GetList', responses: { '200': { description: 'The list.' } } } };
      },
      path: ['paths', '/lists/{List Id}', 'get'],
      message: /"List Id"/,
    },
    {
      name: 'a placeholder used twice (reported on the path)',
      mutate: doc => {
        const item = doc.paths['/tasks/{taskId}'];
        delete doc.paths['/tasks/{taskId}'];
        doc.paths['/tasks/{taskId}/copies/{taskId}'] = item;
      },
      path: ['paths', '/tasks/{taskId}/copies/{taskId}'],
      message: /\{taskId\} appears more than once/,
    },
  ],
  passing: [
    {
      name: 'a placeholder with a space that a parameter defines (spectral:oas path-params cannot read it)',
      mutate: doc => {
        doc.paths['/lists/{List Id}'] = {
          get: {
            operationId: 'GetList',
            parameters: [{ name: 'List Id', in: 'path', required: true, type: 'string', description: 'The list.', 'x-ms-summary': 'List ID' }],
            responses: { '200': { description: 'The list.' } },
          },
        };
      },
    },
    {
      name: 'a placeholder defined on each operation instead of the path item',
      mutate: doc => {
        const item = doc.paths['/tasks/{taskId}'];
        delete item.parameters;
        item.get.parameters = [{ $ref: '#/parameters/TaskId' }];
        item.delete.parameters = [{ $ref: '#/parameters/TaskId' }];
      },
    },
  ],
});
