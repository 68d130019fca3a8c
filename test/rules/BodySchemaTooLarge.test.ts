import { ruleSuite } from './helpers.js';

// An object schema with `count` string properties: count + 1 schemas in all.
const wide = (count: number) => ({
  type: 'object',
  properties: Object.fromEntries(Array.from({ length: count }, (_, i) => [`field${i}`, { type: 'string' }])),
});

ruleSuite('BodySchemaTooLarge', {
  failing: [
    {
      name: 'a request body of 513 schemas',
      mutate: doc => {
        doc.paths['/tasks'].post.parameters[0].schema = wide(512);
      },
      path: ['paths', '/tasks', 'post', 'parameters', 0, 'schema'],
      message: /request body is described by 513 schemas/,
    },
    {
      name: 'a response body of 513 schemas',
      mutate: doc => {
        doc.paths['/tasks'].get.responses['200'].schema = { type: 'array', items: wide(511) };
      },
      path: ['paths', '/tasks', 'get', 'responses', '200', 'schema'],
      message: /200 response body is described by 513 schemas/,
    },
  ],
  passing: [
    {
      name: 'a request body of exactly 512 schemas',
      mutate: doc => {
        doc.paths['/tasks'].post.parameters[0].schema = wide(511);
      },
    },
  ],
});
