import { ruleSuite } from './helpers.js';

ruleSuite('TextNotEnglish', {
  failing: [
    {
      name: 'a Japanese summary',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'タスクを一覧表示';
      },
      path: ['paths', '/tasks', 'get', 'summary'],
      message: /"タ"/,
    },
    {
      name: 'a Japanese x-ms-summary in a definition',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-summary'] = '件名';
      },
      path: ['definitions', 'Task', 'properties', 'title', 'x-ms-summary'],
    },
  ],
  passing: [
    {
      name: 'English with typographic punctuation and accented loanwords',
      mutate: doc => {
        doc.paths['/tasks'].get.description = 'Lists tasks — newest first — for the café’s “shared” board.';
      },
    },
  ],
});
