import { ruleSuite } from './helpers.js';

ruleSuite('ReplacementIncomplete', {
  failing: [
    {
      name: 'a replacement without operationId',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.deprecated = true;
        doc.paths['/tasks/{taskId}'].get['x-ms-api-annotation'] = { replacement: { api: 'contosotasks' } };
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'x-ms-api-annotation', 'replacement'],
      message: /lacks operationId/,
    },
  ],
  passing: [
    {
      name: 'a complete replacement',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.deprecated = true;
        doc.paths['/tasks/{taskId}'].get['x-ms-api-annotation'] = { replacement: { api: 'contosotasks', operationId: 'ListTasks' } };
      },
    },
  ],
});
