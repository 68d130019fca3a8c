import { ruleSuite } from './helpers.js';

const operation = { operationId: 'ListTasksAgain', responses: { '200': { description: 'Tasks.' } } };

// The corpus: 9 certified connectors have paths that differ only by a trailing slash (e.g.
// PartnerCenterReferrals: /referrals/{id} and /referrals/{id}/).
ruleSuite('PathTrailingSlashRedefined', {
  failing: [
    {
      name: 'a path differing only by a trailing slash',
      mutate: doc => {
        doc.paths['/tasks/{taskId}/'] = { get: operation };
      },
      path: ['paths', '/tasks/{taskId}/'],
      message: /"\/tasks\/\{taskId\}\/" redefines "\/tasks\/\{taskId\}" \(a trailing slash differs\)/,
    },
  ],
  passing: [
    {
      name: 'a path differing by letter case (PathRedefined reports it)',
      mutate: doc => {
        doc.paths['/Tasks/'] = { get: operation };
      },
    },
  ],
});
