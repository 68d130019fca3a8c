import { ruleSuite } from './helpers.js';

const summary = (length: number) => `List tasks ${'x'.repeat(length - 'List tasks '.length)}`;

ruleSuite('OperationSummaryTooLong', {
  failing: [
    {
      name: 'an 81-character summary',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = summary(81);
      },
      path: ['paths', '/tasks', 'get', 'summary'],
      message: /81 characters, at most 80/,
    },
  ],
  passing: [
    {
      name: 'an 80-character summary',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = summary(80);
      },
    },
  ],
});
