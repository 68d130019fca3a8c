import { ruleSuite } from './helpers.js';

ruleSuite('FormatNotAllowed', {
  failing: [
    {
      name: 'format guid on a shared parameter',
      mutate: doc => {
        doc.parameters.TaskId.format = 'guid';
      },
      path: ['parameters', 'TaskId', 'format'],
      message: /"guid"/,
    },
    {
      name: 'an unknown format on a schema property',
      mutate: doc => {
        doc.definitions.Task.properties.dueDateTime.format = 'iso8601';
      },
      path: ['definitions', 'Task', 'properties', 'dueDateTime', 'format'],
      message: /"iso8601"/,
    },
  ],
  passing: [
    {
      name: 'the Power Platform formats date-no-tz and html',
      mutate: doc => {
        doc.definitions.Task.properties.dueDateTime.format = 'date-no-tz';
        doc.definitions.Task.properties.title.format = 'html';
      },
    },
  ],
});
