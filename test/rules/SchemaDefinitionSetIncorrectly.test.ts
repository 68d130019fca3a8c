import { ruleSuite } from './helpers.js';

ruleSuite('SchemaDefinitionSetIncorrectly', {
  failing: [
    {
      name: 'a 200 response without schema',
      mutate: doc => {
        delete doc.paths['/tasks/{taskId}'].get.responses['200'].schema;
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses', '200'],
      message: /200 response has no schema/,
    },
    {
      name: 'a 204 response with a $ref schema (reported on the response, not the definition)',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].delete.responses['204'].schema = { $ref: '#/definitions/Task' };
      },
      path: ['paths', '/tasks/{taskId}', 'delete', 'responses', '204', 'schema'],
    },
    {
      name: 'a shared 201 response without schema (reported where it is defined)',
      mutate: doc => {
        doc.responses = { Created: { description: 'Created.' } };
        doc.paths['/tasks'].post.responses['201'] = { $ref: '#/responses/Created' };
      },
      path: ['responses', 'Created'],
    },
  ],
  passing: [
    {
      name: 'a 202 response without schema',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].delete.responses['202'] = { description: 'Deletion started.' };
      },
    },
  ],
});
