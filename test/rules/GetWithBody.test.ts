import { ruleSuite } from './helpers.js';

ruleSuite('GetWithBody', {
  failing: [
    {
      name: 'a GET with a body parameter',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters.push({ name: 'filter', in: 'body', schema: { type: 'object' } });
      },
      path: ['paths', '/tasks', 'get', 'parameters', 2],
      message: /GET \/tasks has a body parameter "filter"/,
    },
    {
      name: 'a GET inheriting a formData parameter from its path item',
      mutate: doc => {
        doc.paths['/trigger/tasks'].parameters = [{ name: 'since', in: 'formData', type: 'string' }];
      },
      path: ['paths', '/trigger/tasks', 'parameters', 0],
      message: /formData parameter "since"/,
    },
  ],
});
