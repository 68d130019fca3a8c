import { ruleSuite } from './helpers.js';

ruleSuite('InternalPropertyWithDefaultOptional', {
  failing: [
    {
      name: 'a required internal parameter without default',
      mutate: doc => {
        delete doc.paths['/tasks'].get.parameters[1].default;
      },
      path: ['paths', '/tasks', 'get', 'parameters', 1],
      message: /"api-version"/,
    },
    {
      name: 'a required internal schema property without default',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-visibility'] = 'internal';
      },
      path: ['definitions', 'Task', 'properties', 'title'],
      message: /"title"/,
    },
  ],
  passing: [
    {
      // Real pattern (365Training, LMS365, TractionGuest... 113 accepted connectors): a webhook
      // subscription body whose required internal callback URL the platform fills.
      name: 'a required internal callback URL marked x-ms-notification-url',
      mutate: doc => {
        doc.definitions.Task.properties.title['x-ms-visibility'] = 'internal';
        doc.definitions.Task.properties.title['x-ms-notification-url'] = true;
      },
    },
    {
      name: 'an optional internal parameter without default',
      mutate: doc => {
        const parameter = doc.paths['/tasks'].get.parameters[1];
        delete parameter.default;
        parameter.required = false;
      },
    },
  ],
});
