import { ruleSuite } from './helpers.js';

ruleSuite('SecurityDefinitionMissing', {
  failing: [
    {
      name: 'a global requirement for an undeclared scheme',
      mutate: doc => {
        doc.security = [{ entra: [] }];
      },
      path: ['security', 0, 'entra'],
      message: /"entra".*declared: oauth2/,
    },
    {
      name: 'an operation requirement for an undeclared scheme',
      mutate: doc => {
        doc.paths['/tasks'].get.security = [{ apiKey: [] }];
      },
      path: ['paths', '/tasks', 'get', 'security', 0, 'apiKey'],
      message: /"apiKey"/,
    },
  ],
  passing: [
    {
      name: 'an anonymous connector',
      mutate: doc => {
        delete doc.security;
        delete doc.securityDefinitions;
      },
    },
  ],
});
