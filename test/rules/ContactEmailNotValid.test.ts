import { ruleSuite } from './helpers.js';

// The corpus: no accepted connector has an info.contact.email that is no e-mail address.
ruleSuite('ContactEmailNotValid', {
  failing: [
    {
      name: 'an obfuscated address',
      mutate: doc => {
        doc.info.contact.email = 'support(at)contoso.com';
      },
      path: ['info', 'contact', 'email'],
      message: /"support\(at\)contoso\.com" is not a valid e-mail address/,
    },
    {
      name: 'an address that is no string',
      mutate: doc => {
        doc.info.contact.email = ['support@contoso.com'];
      },
      path: ['info', 'contact', 'email'],
    },
  ],
  passing: [
    {
      name: 'an address with dots, plus and subdomains',
      mutate: doc => {
        doc.info.contact.email = 'first.last+tasks@support.contoso.co.uk';
      },
    },
    {
      name: 'a missing address (ContactEmailMissing reports it)',
      mutate: doc => {
        delete doc.info.contact.email;
      },
    },
  ],
});
