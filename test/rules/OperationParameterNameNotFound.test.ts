import { ruleSuite } from './helpers.js';

ruleSuite('OperationParameterNameNotFound', {
  failing: [
    {
      name: 'passing a parameter the called operation does not have',
      mutate: doc => {
        doc.parameters.TaskId['x-ms-dynamic-values'].parameters = { state: { value: 'open' } };
      },
      path: ['parameters', 'TaskId', 'x-ms-dynamic-values', 'parameters', 'state'],
      message: /"state", which ListTasks does not accept/,
    },
    {
      name: 'reading a value from a parameter the calling operation does not have',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-dynamic-values'] = {
          operationId: 'ListTasks',
          parameters: { 'api-version': { parameter: 'apiVersion' } },
          'value-path': 'id',
        };
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-dynamic-values', 'parameters', 'api-version', 'parameter'],
      message: /"apiVersion"/,
    },
  ],
  passing: [
    {
      name: 'reading a value from a sibling parameter',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-dynamic-values'] = {
          operationId: 'ListTasks',
          parameters: { 'api-version': { parameter: 'api-version' } },
          'value-path': 'id',
        };
      },
    },
  ],
});
