import { ruleSuite } from './helpers.js';

const label = (length: number) => `Title ${'X'.repeat(length - 6)}`;

ruleSuite('XMsSummaryTooLong', {
  failing: [
    {
      name: 'an 81-character x-ms-summary',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-summary'] = label(81);
      },
      path: ['definitions', 'Task', 'properties', 'title', 'x-ms-summary'],
      message: /81 characters, at most 80/,
    },
  ],
  passing: [
    {
      name: 'an 80-character x-ms-summary',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-summary'] = label(80);
      },
    },
  ],
});
