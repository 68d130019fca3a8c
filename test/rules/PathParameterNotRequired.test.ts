import { ruleSuite } from './helpers.js';

ruleSuite('PathParameterNotRequired', {
  failing: [
    {
      name: 'an optional shared path parameter (reported where it is defined)',
      mutate: doc => {
        doc.parameters.TaskId.required = false;
      },
      path: ['parameters', 'TaskId'],
      message: /"taskId"/,
    },
    {
      name: 'an inline path parameter without required',
      mutate: doc => {
        doc.paths['/tasks/{taskId}'].parameters = [{ name: 'taskId', in: 'path', type: 'string' }];
      },
      path: ['paths', '/tasks/{taskId}', 'parameters', 0],
    },
  ],
});
