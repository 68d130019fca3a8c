import { ruleSuite } from './helpers.js';

ruleSuite('RestrictedCharactersInSummary', {
  failing: [
    {
      name: 'a slash and a hyphen in the summary',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List tasks/to-dos';
      },
      path: ['paths', '/tasks', 'get', 'summary'],
      message: /"\/" "-"/,
    },
  ],
  passing: [
    {
      name: 'parentheses and digits',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List tasks (API version 2)';
      },
    },
  ],
});
