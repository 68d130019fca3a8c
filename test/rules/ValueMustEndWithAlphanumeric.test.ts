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
      name: 'a summary ending with a parenthesis',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List tasks (paged)';
      },
    },
  ],
});
