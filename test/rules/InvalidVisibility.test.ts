import { ruleSuite } from './helpers.js';

// The corpus: no accepted connector has an x-ms-visibility outside important, advanced and
// internal, letter case, an empty value and none aside (VisibilityNotCanonical's).
ruleSuite('InvalidVisibility', {
  failing: [
    {
      name: 'an unknown operation visibility',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = 'hidden';
      },
      path: ['paths', '/tasks', 'get', 'x-ms-visibility'],
      message: /"hidden" must be important, advanced, internal/,
    },
    {
      name: 'an unknown property visibility, capitalised',
      mutate: doc => {
        doc.definitions.Task.properties.id['x-ms-visibility'] = 'Hidden';
      },
      path: ['definitions', 'Task', 'properties', 'id', 'x-ms-visibility'],
      message: /"Hidden"/,
    },
    {
      name: 'a visibility that is no string',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = true;
      },
      path: ['paths', '/tasks', 'get', 'x-ms-visibility'],
      message: /"true"/,
    },
  ],
  passing: [
    {
      name: 'a capitalised value (VisibilityNotCanonical reports it)',
      mutate: doc => {
        doc.definitions.Task.properties.id['x-ms-visibility'] = 'Advanced';
      },
    },
    {
      name: 'an empty value (VisibilityNotCanonical reports it)',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = '';
      },
    },
    {
      name: 'none (VisibilityNotCanonical reports it)',
      mutate: doc => {
        doc.paths['/tasks'].get['x-ms-visibility'] = 'None';
      },
    },
  ],
});
