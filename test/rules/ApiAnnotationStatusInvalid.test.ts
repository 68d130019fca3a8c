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
