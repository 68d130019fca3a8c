import { ruleSuite } from './helpers.js';

ruleSuite('ValueMustEndWithAlphanumeric', {
  failing: [
    {
      name: 'a title ending with a period',
      mutate: doc => {
        doc.info.title = 'Contoso Tasks.';
      },
      path: ['info', 'title'],
      message: /"Contoso Tasks\."/,
    },
    {
      name: 'a summary ending with a period',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List tasks.';
      },
      path: ['paths', '/tasks', 'get', 'summary'],
      message: /"List tasks\."/,
    },
  ],
  passing: [
    {
      // Real pattern: Asite (Canada), XC-Gate (Preview) and others (certified).
      name: 'a title ending with a parenthesis',
      mutate: doc => {
        doc.info.title = 'Contoso (Canada)';
      },
    },
    {
      name: 'a summary ending with a parenthesis',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List tasks (paged)';
      },
    },
  ],
});
