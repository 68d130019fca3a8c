import { ruleSuite } from './helpers.js';

ruleSuite('MultipleBodyParameters', {
  failing: [
    {
      name: 'a second body parameter',
      mutate: doc => {
        doc.paths['/tasks'].post.parameters.push({ name: 'options', in: 'body', schema: { type: 'object' } });
      },
      path: ['paths', '/tasks', 'post', 'parameters', 1],
      message: /second body parameter "options" \(first: "body"\)/,
    },
  ],
});
