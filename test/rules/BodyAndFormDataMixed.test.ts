import { ruleSuite } from './helpers.js';

ruleSuite('BodyAndFormDataMixed', {
  failing: [
    {
      name: 'a formData parameter next to the body',
      mutate: doc => {
        doc.paths['/tasks'].post.parameters.push({ name: 'attachment', in: 'formData', type: 'file' });
      },
      path: ['paths', '/tasks', 'post', 'parameters', 1],
      message: /formData "attachment" with body "body"/,
    },
  ],
  passing: [
    {
      name: 'formData parameters alone',
      mutate: doc => {
        doc.paths['/tasks'].post.consumes = ['multipart/form-data'];
        doc.paths['/tasks'].post.parameters = [
          { name: 'title', in: 'formData', type: 'string' },
          { name: 'attachment', in: 'formData', type: 'file' },
        ];
      },
    },
  ],
});
