import { ruleSuite } from './helpers.js';

ruleSuite('DescriptionNotSentence', {
  failing: [
    {
      name: 'an operation description without closing punctuation',
      mutate: doc => {
        doc.paths['/tasks'].get.description = 'Lists the tasks of the signed-in user';
      },
      path: ['paths', '/tasks', 'get', 'description'],
      message: /"Lists the tasks of the signed-in user"/,
    },
    {
      name: 'a lowercase parameter description',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0].description = 'only tasks with this status.';
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'description'],
    },
    {
      name: 'a response property description in a shared definition (reported once, in the definition)',
      mutate: doc => {
        doc.definitions.Task.properties.title.description = 'what has to be done';
      },
      path: ['definitions', 'Task', 'properties', 'title', 'description'],
    },
  ],
  passing: [
    {
      name: 'a description starting with code and ending with a quoted word',
      mutate: doc => {
        doc.definitions.TaskList.properties.nextLink.description = '`nextLink` is absent on the "last page."';
      },
    },
  ],
});
