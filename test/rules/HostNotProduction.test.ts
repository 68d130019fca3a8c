import { ruleSuite } from './helpers.js';

ruleSuite('HostNotProduction', {
  failing: [
    {
      name: 'a staging host',
      mutate: doc => {
        doc.host = 'api.staging.contoso.com';
      },
      path: ['host'],
      message: /"api\.staging\.contoso\.com".*"staging"/,
    },
    {
      name: 'a dev host label joined with a dash',
      mutate: doc => {
        doc.host = 'api-dev.contoso.com';
      },
      path: ['host'],
      message: /"dev"/,
    },
    {
      name: 'an IP address',
      mutate: doc => {
        doc.host = '10.0.0.12:8080';
      },
      path: ['host'],
    },
  ],
  passing: [
    {
      name: 'a production host whose label merely starts like a marker',
      mutate: doc => {
        doc.host = 'developer.contoso.com';
      },
    },
  ],
});
