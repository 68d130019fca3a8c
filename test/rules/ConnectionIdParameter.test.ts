import { ruleSuite } from './helpers.js';

ruleSuite('ConnectionIdParameter', {
  failing: [
    {
      name: 'a parameter named connectionId',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters.push({ name: 'connectionId', in: 'query', type: 'string' });
      },
      path: ['paths', '/tasks', 'get', 'parameters', 2, 'name'],
      message: /"connectionId"/,
    },
  ],
});
