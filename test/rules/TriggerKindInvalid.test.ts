import { ruleSuite } from './helpers.js';

ruleSuite('TriggerKindInvalid', {
  failing: [
    {
      name: 'an unknown trigger kind',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'poll';
      },
      path: ['paths', '/trigger/tasks', 'get', 'x-ms-trigger'],
      message: /"poll" must be batch or single/,
    },
    {
      name: 'a capitalised kind (the schema enum is lower case)',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'Batch';
      },
      path: ['paths', '/trigger/tasks', 'get', 'x-ms-trigger'],
    },
  ],
  passing: [
    {
      name: 'a single trigger',
      mutate: doc => {
        doc.paths['/trigger/tasks'].get['x-ms-trigger'] = 'single';
      },
    },
    {
      name: 'a trigger without hint (TriggerInvalid reports that)',
      mutate: doc => {
        delete doc.paths['/trigger/tasks'].get['x-ms-trigger-hint'];
      },
    },
  ],
});
