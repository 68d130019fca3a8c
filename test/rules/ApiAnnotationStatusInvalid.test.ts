import { ruleSuite } from './helpers.js';

ruleSuite('ApiAnnotationStatusInvalid', {
  failing: [
    {
      name: 'an unknown connector status',
      mutate: doc => {
        doc.info['x-ms-api-annotation'].status = 'Beta';
      },
      path: ['info', 'x-ms-api-annotation', 'status'],
      message: /"Beta"/,
    },
    {
      name: 'a lowercase "production" operation in a Preview connector',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-api-annotation'] = { status: 'production' };
      },
      path: ['paths', '/tasks', 'get', 'x-ms-api-annotation', 'status'],
      message: /Production while the connector/,
    },
    {
      name: 'a Production operation in a Preview connector',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-api-annotation'] = { status: 'Production' };
      },
      path: ['paths', '/tasks', 'get', 'x-ms-api-annotation', 'status'],
      message: /Production while the connector/,
    },
  ],
  passing: [
    {
      // Real pattern: Cognizant Automation Center (certified) writes the status in lowercase.
      name: 'a lowercase "production" operation in a Production connector',
      mutate: doc => {
        doc.info['x-ms-api-annotation'].status = 'Production';
        doc.paths['/tasks'].get['x-ms-api-annotation'] = { status: 'production' };
      },
    },
    {
      name: 'a Production operation in a Production connector',
      mutate: doc => {
        doc.info['x-ms-api-annotation'].status = 'Production';
        doc.paths['/tasks'].get['x-ms-api-annotation'] = { status: 'Production' };
      },
    },
    {
      name: 'a Preview operation in a Preview connector',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-api-annotation'] = { status: 'Preview' };
      },
    },
  ],
});
