import { ruleSuite } from './helpers.js';

// The corpus: no accepted connector has an info.contact.url that is no http(s) URL.
ruleSuite('ContactUrlInvalid', {
  failing: [
    {
      name: 'a contact url without scheme',
      mutate: doc => {
        doc.info.contact.url = 'contoso.com/support';
      },
      path: ['info', 'contact', 'url'],
      message: /"contoso\.com\/support" is not an http\(s\) URL/,
    },
    {
      name: 'a mail address as url',
      mutate: doc => {
        doc.info.contact.url = 'mailto:support@contoso.com';
      },
      path: ['info', 'contact', 'url'],
    },
  ],
  passing: [
    {
      name: 'a missing url (ContactPropertiesMissing reports it)',
      mutate: doc => {
        delete doc.info.contact.url;
      },
    },
    {
      name: 'an http URL',
      mutate: doc => {
        doc.info.contact.url = 'http://contoso.com';
      },
    },
  ],
});
