import { ruleSuite } from './helpers.js';

/** A dropdown on the status filter that passes ListTasks its api-version, read from `parameter`. */
const readingApiVersionFrom = (parameter: string) => ({ operationId: 'ListTasks', parameters: { 'api-version': { parameter } }, 'value-path': 'id' });

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
        doc.paths['/tasks'].get.parameters[0]['x-ms-dynamic-values'] = readingApiVersionFrom('apiVersion');
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-dynamic-values', 'parameters', 'api-version', 'parameter'],
      message: /"apiVersion"/,
    },
    {
      name: 'reading a value by a dotted path whose first segment is no body property',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-dynamic-values'] = readingApiVersionFrom('task.title');
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-dynamic-values', 'parameters', 'api-version', 'parameter'],
      message: /"task\.title"/,
    },
  ],
  passing: [
    {
      // Real pattern (AXtension Content Gate, Spring Global): a body property read by a dotted
      // path, "parent.child", from a dropdown on a sibling property.
      name: 'reading a value from a body property by a dotted path',
      mutate: doc => {
        const schema = doc.paths['/tasks'].post.parameters[0].schema;
        doc.paths['/tasks'].post.parameters[0].schema = {
          type: 'object',
          properties: {
            task: schema,
            owner: {
              type: 'string',
              'x-ms-summary': 'Owner',
              description: 'Who owns the task.',
              'x-ms-dynamic-values': { operationId: 'ListTasks', parameters: { status: { parameter: 'task.title' } }, 'value-path': 'id' },
            },
          },
        };
      },
    },
    {
      name: 'reading a value from a sibling parameter',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-dynamic-values'] = readingApiVersionFrom('api-version');
      },
    },
  ],
});
