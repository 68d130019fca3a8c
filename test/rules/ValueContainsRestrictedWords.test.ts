import { ruleSuite } from './helpers.js';

ruleSuite('ValueContainsRestrictedWords', {
  failing: [
    {
      name: '"API" in the title',
      mutate: doc => {
        doc.info.title = 'Contoso Tasks API';
      },
      path: ['info', 'title'],
      message: /"API"/,
    },
    {
      name: 'a product name in the title',
      mutate: doc => {
        doc.info.title = 'Contoso for Power Apps';
      },
      path: ['info', 'title'],
      message: /"Power Apps"/,
    },
    {
      name: 'a product name in the description',
      mutate: doc => {
        doc.info.description = 'Contoso Tasks brings shared task lists into your Power Automate flows.';
      },
      path: ['info', 'description'],
      message: /"Power Automate"/,
    },
  ],
  passing: [
    {
      name: 'restricted letters inside a longer word',
      mutate: doc => {
        doc.info.title = 'Contoso Rapid Tasks';
      },
    },
    {
      name: '"connector" in the description',
      mutate: doc => {
        doc.info.description = 'This connector lets teams create, track and complete shared Contoso tasks.';
      },
    },
  ],
});
