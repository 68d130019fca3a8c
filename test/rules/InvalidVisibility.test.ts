import { ruleSuite } from './helpers.js';

ruleSuite('InvalidVisibility', {
  failing: [
    {
      name: 'an unknown operation visibility',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = 'hidden';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-visibility'],
      message: /"hidden"/,
    },
    {
      name: 'a capitalised property visibility',
      mutate: doc => {
        doc.definitions.Task.properties.id['x-ms-visibility'] = 'Advanced';
      },
      path: ['definitions', 'Task', 'properties', 'id', 'x-ms-visibility'],
      message: /"Advanced"/,
    },
  ],
});
