import { ruleSuite } from './helpers.js';

// The corpus: 8 certified connectors have responses whose description is "" (none lacks the key).
ruleSuite('ResponseDescriptionMissing', {
  failing: [
    {
      name: 'a response with an empty description',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].get.responses['404'].description = '';
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses', '404', 'description'],
      message: /response 404 has an empty description/,
    },
    {
      name: 'a shared response with a blank description',
      mutate: doc => {
        doc.responses = { NotFound: { description: ' ', schema: { $ref: '#/definitions/Error' } } };
        doc.paths['/tasks/{taskId}'].get.responses['404'] = { $ref: '#/responses/NotFound' };
      },
      path: ['responses', 'NotFound', 'description'],
    },
  ],
  passing: [
    {
      name: 'a response without description (SwaggerSchemaInvalid reports it)',
      mutate: doc => {
        delete doc.paths['/tasks/{taskId}'].get.responses['404'].description;
      },
    },
  ],
});
