import { ruleSuite } from './helpers.js';

ruleSuite('DefaultResponseUsed', {
  failing: [
    {
      name: 'a default response',
      mutate: doc => {
        doc.paths['/tasks'].get.responses.default = { description: 'An error.' };
      },
      path: ['paths', '/tasks', 'get', 'responses', 'default'],
    },
  ],
});
