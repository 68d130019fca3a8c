import { ruleSuite } from './helpers.js';

ruleSuite('PathParameterNotInTemplate', {
  failing: [
    {
      name: 'a path parameter missing from the template',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters.push({ name: 'listId', in: 'path', required: true, type: 'string' });
      },
      path: ['paths', '/tasks', 'get', 'parameters', 2],
      message: /"listId" is not in the template "\/tasks"/,
    },
  ],
});
