import { ruleSuite } from './helpers.js';

ruleSuite('VisibilityMissing', {
  failing: [
    {
      name: 'an operation without x-ms-visibility',
      mutate: doc => {
        delete doc.paths['/tasks/{taskId}'].delete['x-ms-visibility'];
      },
      path: ['paths', '/tasks/{taskId}', 'delete'],
      message: /DeleteTask/,
    },
  ],
});
