import { ruleSuite } from './helpers.js';

ruleSuite('PathItemRef', {
  failing: [
    {
      name: 'a path item that is a $ref',
      mutate: doc => {
        doc.paths['/todo'] = { $ref: '#/paths/~1tasks' };
      },
      path: ['paths', '/todo', '$ref'],
      message: /"\/todo" is a \$ref/,
    },
  ],
});
