import { ruleSuite } from './helpers.js';

ruleSuite('ContactPropertiesMissing', {
  failing: [
    {
      name: 'no contact (reported on info)',
      mutate: doc => {
        delete doc.info.contact;
      },
      path: ['info'],
      message: /info\.contact is missing/,
    },
    {
      name: 'a contact without name',
      mutate: doc => {
        delete doc.info.contact.name;
      },
      path: ['info', 'contact'],
      message: /name is missing/,
    },
    {
      name: 'a contact url without scheme',
      mutate: doc => {
        doc.info.contact.url = 'contoso.com/support';
      },
      path: ['info', 'contact', 'url'],
      message: /"contoso\.com\/support"/,
    },
  ],
});
