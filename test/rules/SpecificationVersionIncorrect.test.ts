import { ruleSuite } from './helpers.js';

ruleSuite('SpecificationVersionIncorrect', {
  failing: [
    {
      name: 'swagger written as the number 2 (unquoted YAML 2.0)',
      mutate: doc => {
        doc.swagger = 2;
      },
      path: ['swagger'],
      message: /"2"/,
    },
    {
      name: 'an OpenAPI 3 document',
      mutate: doc => {
        delete doc.swagger;
        doc.openapi = '3.0.3';
      },
      path: ['openapi'],
      message: /3\.0\.3/,
    },
  ],
});
