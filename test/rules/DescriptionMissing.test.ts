import { ruleSuite } from './helpers.js';

ruleSuite('DescriptionMissing', {
  failing: [
    {
      name: 'an operation without description',
      mutate: doc => {
        delete doc.paths['/tasks'].get.description;
      },
      path: ['paths', '/tasks', 'get'],
      message: /ListTasks has no description/,
    },
    {
      name: 'a shared parameter without description (reported where it is defined)',
      mutate: doc => {
        delete doc.parameters.TaskId.description;
      },
      path: ['parameters', 'TaskId'],
      message: /"taskId"/,
    },
  ],
});
