import { ruleSuite } from './helpers.js';

ruleSuite('DynamicValuesOnBodyParameter', {
  failing: [
    {
      name: 'x-ms-dynamic-values on the body parameter',
      mutate: doc => {
        doc.paths['/tasks'].post.parameters[0]['x-ms-dynamic-values'] = { operationId: 'ListTasks', 'value-path': 'id' };
      },
      path: ['paths', '/tasks', 'post', 'parameters', 0, 'x-ms-dynamic-values'],
      message: /body parameter "body"/,
    },
  ],
  passing: [
    {
      name: 'x-ms-dynamic-values on a property of the body schema',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-dynamic-values'] = { operationId: 'ListTasks', 'value-path': 'title' };
      },
    },
  ],
});
