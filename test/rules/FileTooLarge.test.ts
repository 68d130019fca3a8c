import { ruleSuite } from './helpers.js';

ruleSuite('FileTooLarge', {
  failing: [
    {
      name: 'a definition over 1 MB (reported on the document)',
      mutate: doc => {
        doc.definitions.Task.description = 'x'.repeat(1_048_576);
      },
      path: [],
      message: /bytes as JSON, over the 1048576-byte limit/,
    },
  ],
  passing: [
    {
      name: 'a definition just under 1 MB',
      mutate: doc => {
        doc.definitions.Task.description = 'x'.repeat(1_000_000);
      },
    },
  ],
});
