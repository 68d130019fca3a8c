import { ruleSuite } from './helpers.js';

ruleSuite('FieldLengthNotInRange', {
  failing: [
    {
      name: 'a description under 30 characters',
      mutate: doc => {
        doc.info.description = 'Shared tasks.';
      },
      path: ['info', 'description'],
      message: /13 characters, expected 30-500/,
    },
    {
      name: 'a description over 500 characters',
      mutate: doc => {
        doc.info.description = `${'Contoso Tasks keeps shared work in order. '.repeat(13)}`;
      },
      path: ['info', 'description'],
      message: /expected 30-500/,
    },
    {
      name: 'a missing description (reported on info)',
      mutate: doc => {
        delete doc.info.description;
      },
      path: ['info'],
      message: /missing/,
    },
  ],
  passing: [
    {
      name: 'exactly 30 characters',
      mutate: doc => {
        doc.info.description = 'Track shared tasks in Contoso.';
      },
    },
  ],
});
