import { ruleSuite } from './helpers.js';

ruleSuite('OperationIdNotFound', {
  failing: [
    {
      name: 'dynamic values calling an unknown operation',
      mutate: doc => {
        doc.parameters.TaskId['x-ms-dynamic-values'].operationId = 'ListAllTasks';
      },
      path: ['parameters', 'TaskId', 'x-ms-dynamic-values', 'operationId'],
      message: /"ListAllTasks"/,
    },
    {
      name: 'a dynamic schema on a body property calling an unknown operation',
      mutate: doc => {
        doc.definitions.Task.properties.details = { type: 'object', 'x-ms-dynamic-schema': { operationId: 'GetTaskSchema', parameters: {}, 'value-path': 'schema' } };
      },
      path: ['definitions', 'Task', 'properties', 'details', 'x-ms-dynamic-schema', 'operationId'],
    },
  ],
});
