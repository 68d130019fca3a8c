import { ruleSuite } from './helpers.js';

// The corpus: JotForm Enterprise was accepted with this host, which its dynamichosturl policy
// ("https://@connectionParameters('domain')") replaces.
ruleSuite('HostNotSet', {
  failing: [
    {
      name: 'the placeholder host of an accepted connector, printed as written',
      mutate: doc => {
        doc.host = '{{replace_with_your_domain}}';
      },
      path: ['host'],
      // Spectral would replace "{{…}}" in a message by nothing; the value must survive.
      message: /^host "\{\u2060\{replace_with_your_domain\}\}" is a placeholder: only a dynamichosturl policy/,
    },
    {
      name: 'a placeholder label',
      mutate: doc => {
        doc.host = '{tenant}.contoso.com';
      },
      path: ['host'],
      message: /"\{tenant\}\.contoso\.com" is a placeholder/,
    },
    {
      name: 'an empty host',
      mutate: doc => {
        doc.host = '';
      },
      path: ['host'],
      message: /^host is empty/,
    },
  ],
  passing: [
    {
      name: 'a missing host (HostInvalid reports it)',
      mutate: doc => {
        delete doc.host;
      },
    },
    {
      name: 'a placeholder behind a scheme (HostInvalid reports it)',
      mutate: doc => {
        doc.host = 'https://{{domain}}';
      },
    },
  ],
});
