import { ruleSuite } from './helpers.js';

const replacement = { api: 'contosotasks', operationId: 'ListTasks' };

ruleSuite('ReplacementOnNonDeprecated', {
  failing: [
    {
      name: 'a replacement on an operation that is not deprecated',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get['x-ms-api-annotation'] = { replacement };
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'x-ms-api-annotation', 'replacement'],
    },
  ],
  passing: [
    {
      name: 'a replacement on a deprecated operation',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.deprecated = true;
        doc.paths['/tasks/{taskId}'].get['x-ms-api-annotation'] = { replacement };
      },
    },
  ],
});
