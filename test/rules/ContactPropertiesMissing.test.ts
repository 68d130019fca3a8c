import { ruleSuite } from './helpers.js';

// The corpus: certified connectors without info.contact (33), its url (12) or its name (4).
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
      name: 'a contact without url',
      mutate: doc => {
        doc.info.contact.url = '';
      },
      path: ['info', 'contact', 'url'],
      message: /url is missing/,
    },
  ],
  passing: [
    {
      name: 'a contact url without scheme (ContactUrlInvalid reports it)',
      mutate: doc => {
        doc.info.contact.url = 'contoso.com/support';
      },
    },
  ],
});
