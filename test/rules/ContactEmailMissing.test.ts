import { ruleSuite } from './helpers.js';

// The corpus: 49 certified connectors (61 with the samples) have no info.contact.email.
ruleSuite('ContactEmailMissing', {
  failing: [
    {
      name: 'a contact without address (reported on contact)',
      mutate: doc => {
        delete doc.info.contact.email;
      },
      path: ['info', 'contact'],
      message: /^info\.contact\.email is missing$/,
    },
    {
      name: 'an empty address',
      mutate: doc => {
        doc.info.contact.email = ' ';
      },
      path: ['info', 'contact', 'email'],
    },
    {
      name: 'no contact at all (reported on info)',
      mutate: doc => {
        delete doc.info.contact;
      },
      path: ['info'],
    },
  ],
  passing: [
    {
      name: 'an invalid address (ContactEmailNotValid reports it)',
      mutate: doc => {
        doc.info.contact.email = 'support(at)contoso.com';
      },
    },
  ],
});
