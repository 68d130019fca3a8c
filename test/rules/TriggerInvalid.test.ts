import { ruleSuite } from './helpers.js';

ruleSuite('TriggerInvalid', {
  failing: [
    {
      name: 'an unknown trigger kind',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'poll';
      },
      path: ['paths', '/trigger/tasks', 'get', 'x-ms-trigger'],
      message: /"poll"/,
    },
    {
      name: 'a trigger without hint',
      mutate: doc => {
        delete doc.paths['/trigger/tasks'].get['x-ms-trigger-hint'];
      },
      path: ['paths', '/trigger/tasks', 'get'],
      message: /no x-ms-trigger-hint/,
    },
    {
      name: 'a hint on an action',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-trigger-hint'] = 'Create a task.';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-trigger-hint'],
    },
  ],
  passing: [
    {
      name: 'a single trigger',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'single';
      },
    },
  ],
});
