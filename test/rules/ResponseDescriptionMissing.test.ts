import { ruleSuite } from './helpers.js';

ruleSuite('ResponseDescriptionMissing', {
  failing: [
    {
      name: 'a response without description',
      mutate: doc => {
        delete doc.paths['/tasks/{taskId}'].get.responses['404'].description;
      },
      path: ['paths', '/tasks/{taskId}', 'get', 'responses', '404'],
      message: /response 404/,
    },
    {
      name: 'a shared response without description',
      mutate: doc => {
        doc.responses = { NotFound: { schema: { $ref: '#/definitions/Error' } } };
        doc.paths['/tasks/{taskId}'].get.responses['404'] = { $ref: '#/responses/NotFound' };
      },
      path: ['responses', 'NotFound'],
    },
  ],
});
