import { ruleSuite, type Doc } from './helpers.js';

// The base has 5 operations; adds GET operations on new paths up to `total`.
const withOperations = (total: number) => (doc: Doc) => {
  for (let index = 5; index < total; index += 1) {
    doc.paths[`/lists/${index}`] = { get: { operationId: `GetList${index}`, responses: { '200': { description: 'A list.' } } } };
  }
};

ruleSuite('TooManyOperations', {
  failing: [{ name: '257 operations', mutate: withOperations(257), path: ['paths'], message: /257 operations, at most 256/ }],
  passing: [{ name: 'exactly 256 operations', mutate: withOperations(256) }],
});
