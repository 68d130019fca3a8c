import { ruleSuite } from './helpers.js';

ruleSuite('ContactEmailNotValid', {
  failing: [
    {
      name: 'an obfuscated address',
      mutate: doc => {
        doc.info.contact.email = 'support(at)contoso.com';
      },
      path: ['info', 'contact', 'email'],
      message: /"support\(at\)contoso\.com"/,
    },
    {
      name: 'a missing address (reported on contact)',
      mutate: doc => {
        delete doc.info.contact.email;
      },
      path: ['info', 'contact'],
      message: /missing/,
    },
  ],
  passing: [
    {
      name: 'an address with dots, plus and subdomains',
      mutate: doc => {
        doc.info.contact.email = 'first.last+tasks@support.contoso.co.uk';
      },
    },
  ],
});
