import { ruleSuite } from './helpers.js';

// The corpus: the certified Stormboard has a 20-character info.description.
ruleSuite('InfoDescriptionTooShort', {
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
      name: 'a blank description',
      mutate: doc => {
        doc.info.description = '  ';
      },
      path: ['info', 'description'],
      message: /0 characters/,
    },
  ],
  passing: [
    {
      name: 'exactly 30 characters',
      mutate: doc => {
        doc.info.description = 'Track shared tasks in Contoso.';
      },
    },
    {
      name: 'a missing description (FieldLengthNotInRange reports it)',
      mutate: doc => {
        delete doc.info.description;
      },
    },
  ],
});
