import { ruleSuite } from './helpers.js';

// The corpus: no certified connector lacks info.description (one imported sample does) or has
// one over 500 characters.
ruleSuite('FieldLengthNotInRange', {
  failing: [
    {
      name: 'a description over 500 characters',
      mutate: doc => {
        doc.info.description = `${'Contoso Tasks keeps shared work in order. '.repeat(13)}`;
      },
      path: ['info', 'description'],
      message: /545 characters, expected 30-500/,
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
      name: 'exactly 500 characters',
      mutate: doc => {
        doc.info.description = 'x'.repeat(500);
      },
    },
    {
      name: 'a description under 30 characters (InfoDescriptionTooShort reports it)',
      mutate: doc => {
        doc.info.description = 'Shared tasks.';
      },
    },
  ],
});
