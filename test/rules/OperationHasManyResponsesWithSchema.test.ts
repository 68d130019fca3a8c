import { ruleSuite } from './helpers.js';

ruleSuite('OperationHasManyResponsesWithSchema', {
  failing: [
    {
      name: 'a 200 and a 201 with different schemas',
      mutate: doc => {
        doc.paths['/tasks'].post.responses['200'] = { description: 'Existing task list.', schema: { $ref: '#/definitions/TaskList' } };
      },
      path: ['paths', '/tasks', 'post', 'responses', '201', 'schema'],
      message: /201 response has a different schema than the 200 response/,
    },
  ],
  passing: [
    {
      name: 'a 200 and a 201 with the same schema',
      mutate: doc => {
        doc.paths['/tasks'].post.responses['200'] = { description: 'The task already existed.', schema: { $ref: '#/definitions/Task' } };
      },
    },
    {
      name: 'error responses with their own schema',
      mutate: doc => {
        doc.paths['/tasks'].post.responses['409'] = { description: 'Conflict.', schema: { $ref: '#/definitions/Error' } };
      },
    },
  ],
});
