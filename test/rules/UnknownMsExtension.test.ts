import { ruleSuite } from './helpers.js';

ruleSuite('UnknownMsExtension', {
  failing: [
    {
      name: 'an invented x-ms- extension',
      mutate: doc => {
        doc['x-ms-contoso-owner'] = 'Tasks team';
      },
      path: ['x-ms-contoso-owner'],
      message: /not a Power Platform extension; rename it to "x-contoso-owner"/,
    },
    {
      name: 'a known extension in the wrong place',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-trigger'] = 'batch';
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-trigger'],
      message: /x-ms-trigger is not allowed on a query parameter/,
    },
    {
      name: 'an extension on the responses object, which allows none',
      mutate: doc => {
        doc.paths['/tasks'].get.responses['x-ms-summary'] = 'Tasks';
      },
      path: ['paths', '/tasks', 'get', 'responses', 'x-ms-summary'],
      message: /x-ms-summary is not allowed on the responses object$/,
    },
    {
      name: 'a misspelt extension on a schema property',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-sumary'] = 'Title';
      },
      path: ['definitions', 'Task', 'properties', 'title', 'x-ms-sumary'],
    },
  ],
  passing: [
    {
      name: 'a vendor extension without ms-',
      mutate: doc => {
        doc['x-contoso-owner'] = 'Tasks team';
      },
    },
    {
      name: 'x-ms-url-encoding on a path parameter',
      mutate: doc => {
        doc.parameters.TaskId['x-ms-url-encoding'] = 'single';
      },
    },
  ],
});
