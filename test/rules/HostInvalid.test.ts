import { ruleSuite } from './helpers.js';

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
      name: 'a host with a path',
      mutate: doc => {
        doc.host = 'api.contoso.com/v1';
      },
      path: ['host'],
      message: /contains a path/,
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
  ],
});
