import { ruleSuite } from './helpers.js';

ruleSuite('EnumValuesInvalid', {
  failing: [
    {
      name: 'a display name for a value outside the enum',
      mutate: doc => {
        doc.paths['/tasks'].get.parameters[0]['x-ms-enum-values'][1].value = 'closed';
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-enum-values', 1, 'value'],
      message: /"closed"/,
    },
    {
      name: 'an entry without displayName',
      mutate: doc => {
        delete doc.paths['/tasks'].get.parameters[0]['x-ms-enum-values'][0].displayName;
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-enum-values', 0],
      message: /"open" has no displayName/,
    },
    {
      name: 'x-ms-enum-values without an enum',
      mutate: doc => {
        delete doc.paths['/tasks'].get.parameters[0].enum;
      },
      path: ['paths', '/tasks', 'get', 'parameters', 0, 'x-ms-enum-values'],
    },
  ],
});
