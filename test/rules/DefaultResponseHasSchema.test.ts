import { ruleSuite } from './helpers.js';

ruleSuite('DefaultResponseHasSchema', {
  failing: [
    {
      name: 'a default response with a schema',
      mutate: doc => {
        doc.paths['/tasks'].get.responses.default = { description: 'An error.', schema: { $ref: '#/definitions/Error' } };
      },
      path: ['paths', '/tasks', 'get', 'responses', 'default', 'schema'],
    },
  ],
  passing: [
    {
      name: 'a default response without schema',
      mutate: doc => {
        doc.paths['/tasks'].get.responses.default = { description: 'An error.' };
      },
    },
  ],
});
