import { ruleSuite } from './helpers.js';

// The corpus: accepted connectors carry x-ms-visibility "" (91 times: StaffCircle, Sparse Power
// Box Tools, HotProfile, iAuditor), "Advanced" (16: CognitiveServicesQuestionAnswering) and
// "Internal" (2: CardPlatform).
ruleSuite('VisibilityNotCanonical', {
  failing: [
    {
      name: 'an empty property visibility',
      mutate: doc => {
        doc.definitions.Task.properties.id['x-ms-visibility'] = '';
      },
      path: ['definitions', 'Task', 'properties', 'id', 'x-ms-visibility'],
      message: /^x-ms-visibility is empty: remove it/,
    },
    {
      name: 'a capitalised property visibility',
      mutate: doc => {
        doc.definitions.Task.properties.id['x-ms-visibility'] = 'Advanced';
      },
      path: ['definitions', 'Task', 'properties', 'id', 'x-ms-visibility'],
      message: /"Advanced" must be lower case \("advanced"\)/,
    },
    {
      name: 'a capitalised parameter visibility',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[1]['x-ms-visibility'] = 'Internal';
      },
      path: ['paths', '/tasks', 'get', 'parameters', '1', 'x-ms-visibility'],
      message: /"Internal" must be lower case/,
    },
    {
      name: 'none',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = 'none';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-visibility'],
      message: /"none" is none of important, advanced, internal: remove it/,
    },
  ],
  passing: [
    {
      name: 'an unknown value (InvalidVisibility reports it)',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = 'hidden';
      },
    },
    {
      name: 'an allowed property visibility',
      mutate: doc => {
        doc.definitions.Task.properties.id['x-ms-visibility'] = 'advanced';
      },
    },
  ],
});
