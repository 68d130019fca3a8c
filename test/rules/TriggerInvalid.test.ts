import { ruleSuite } from './helpers.js';

ruleSuite('TriggerInvalid', {
  failing: [
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
      // The kind itself is TriggerKindInvalid's (an error): this rule only pairs trigger and hint.
      name: 'an unknown trigger kind with its hint',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'poll';
      },
    },
    {
      name: 'a single trigger',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'single';
      },
    },
  ],
});
