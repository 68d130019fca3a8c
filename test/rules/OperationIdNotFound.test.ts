import { ruleSuite } from './helpers.js';

// The corpus: no certified connector calls an operation it lacks; Asite and LawVu use
// x-ms-dynamic-values with the file-picker capability and no operationId.
ruleSuite('OperationIdNotFound', {
  failing: [
    {
      name: 'dynamic values calling an unknown operation',
      mutate: doc => {
        doc.parameters.TaskId['x-ms-dynamic-values'].operationId = 'ListAllTasks';
      },
      path: ['parameters', 'TaskId', 'x-ms-dynamic-values', 'operationId'],
      message: /"ListAllTasks", which no operation has/,
    },
    {
      name: 'a dynamic schema on a body property calling an unknown operation',
      mutate: doc => {
        doc.definitions.Task.properties.details = { type: 'object', 'x-ms-dynamic-schema': { operationId: 'GetTaskSchema', parameters: {}, 'value-path': 'schema' } };
      },
      path: ['definitions', 'Task', 'properties', 'details', 'x-ms-dynamic-schema', 'operationId'],
    },
    {
      name: 'dynamic values naming no operation at all',
      mutate: doc => {
        delete doc.parameters.TaskId['x-ms-dynamic-values'].operationId;
      },
      path: ['parameters', 'TaskId', 'x-ms-dynamic-values'],
      message: /x-ms-dynamic-values names no operationId/,
    },
  ],
  passing: [
    {
      name: 'dynamic values through the file-picker capability',
      mutate: doc => {
        doc.parameters.TaskId['x-ms-dynamic-values'] = { capability: 'file-picker', 'value-path': 'id', 'value-title': 'title', parameters: { isFolder: true } };
      },
    },
    {
      name: 'dynamic values through a built-in operation',
      mutate: doc => {
        doc.parameters.TaskId['x-ms-dynamic-values'] = { builtInOperation: 'AadGraph.GetUsers', 'value-path': 'id', 'value-title': 'displayName' };
      },
    },
  ],
});
