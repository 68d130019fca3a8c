import { ruleSuite } from './helpers.js';

ruleSuite('FieldLengthExceeded', {
  failing: [
    {
      name: 'a 31-character title',
      mutate: doc => {
        doc.info.title = 'Contoso Tasks And Shared Lists1';
      },
      path: ['info', 'title'],
      message: /31 characters, at most 30/,
    },
  ],
  passing: [
    {
      name: 'a 30-character title',
      mutate: doc => {
        doc.info.title = 'Contoso Tasks And Shared Lists';
      },
    },
  ],
});
