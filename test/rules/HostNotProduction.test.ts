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
      name: 'localhost, a host without a top-level domain',
      mutate: doc => {
        doc.host = 'localhost:8080';
      },
      path: ['host'],
      message: /"localhost"/,
    },
    {
      name: 'a host under a top-level domain reserved for testing (RFC 2606)',
      mutate: doc => {
        doc.host = 'api.contoso.test';
      },
      path: ['host'],
      message: /"test"/,
    },
    {
      name: 'a documentation host (example.com style, reserved)',
      mutate: doc => {
        doc.host = 'contoso.example';
      },
      path: ['host'],
      message: /"example"/,
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
      // Real pattern: Sparse Power Box Tools (certified) calls api.powerbox.bysparse.dev.
      name: 'a production host under the .dev top-level domain',
      mutate: doc => {
        doc.host = 'api.powerbox.bysparse.dev';
      },
    },
    {
      name: 'a production host under the .qa top-level domain',
      mutate: doc => {
        doc.host = 'api.contoso.qa';
      },
    },
    {
      name: 'a production host whose label merely starts like a marker',
      mutate: doc => {
        doc.host = 'developer.contoso.com';
      },
    },
  ],
});
