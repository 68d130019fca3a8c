import { ruleSuite } from './helpers.js';

// The corpus: 0 of 502 accepted connectors have a host with a scheme or a path, or none at all.
ruleSuite('HostInvalid', {
  failing: [
    {
      name: 'a host with scheme and path',
      mutate: doc => {
        doc.host = 'https://api.contoso.com/v1';
      },
      path: ['host'],
      message: /"https:\/\/api\.contoso\.com\/v1" contains a scheme/,
    },
    {
      name: 'a host with a scheme around a placeholder (the scheme decides)',
      mutate: doc => {
        doc.host = 'https://{{domain}}';
      },
      path: ['host'],
      message: /contains a scheme/,
    },
    {
      name: 'a host with a path',
      mutate: doc => {
        doc.host = 'api.contoso.com/v1';
      },
      path: ['host'],
      message: /contains a path/,
    },
    {
      name: 'a host that is no host name',
      mutate: doc => {
        doc.host = 'api contoso com';
      },
      path: ['host'],
      message: /"api contoso com" is not a host name/,
    },
    {
      name: 'a missing host (reported on the document)',
      mutate: doc => {
        delete doc.host;
      },
      path: [],
      message: /host is missing/,
    },
  ],
  passing: [
    {
      name: 'a host with a port',
      mutate: doc => {
        doc.host = 'api.contoso.com:8443';
      },
    },
    {
      // HostNotSet's case: JotForm Enterprise, accepted with this host and a dynamichosturl policy.
      name: 'a placeholder host (HostNotSet reports it)',
      mutate: doc => {
        doc.host = '{{replace_with_your_domain}}';
      },
    },
    {
      name: 'an empty host (HostNotSet reports it)',
      mutate: doc => {
        doc.host = '';
      },
    },
  ],
});
