// Runs the client against the emulator through MSW (onUnhandledRequest: 'error'), one fresh
// emulator per test. Used by the client integration tests. The emulators come from the emulator
// tests' helper, so every response the client sees here is also checked against the spec.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createReferralsClient, type ReferralInput, type ReferralsClient, type ReferralsClientOptions } from '../../src/index.js';
import type { EmulatorOptions, ReferralsEmulator } from '../../src/emulator/core/index.js';
import { createReferralsHandlers } from '../../src/emulator/msw.js';
import { newEmulator } from '../emulator/helpers.js';

export const ORIGIN = 'https://api.partner.microsoft.com';
export const BASE_URL = `${ORIGIN}/v1.0/engagements`;
export const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0LXVzZXIifQ.c2VjcmV0LXNpZ25hdHVyZQ';

export interface Harness {
  emulator: ReferralsEmulator;
  client: ReferralsClient;
  /** Another client on the same emulator (e.g. another user or process). */
  newClient(options?: ReferralsClientOptions): ReferralsClient;
}

/** Registers the MSW server hooks for this test file and returns `start`, which makes a fresh emulator and client. */
export function useEmulator(): (emulatorOptions?: EmulatorOptions, clientOptions?: ReferralsClientOptions) => Harness {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return (emulatorOptions = {}, clientOptions = {}) => {
    // The emulator reads the (possibly faked) clock through Date, like the client's limiter.
    const emulator = newEmulator({ now: () => new Date(), ...emulatorOptions });
    server.resetHandlers(...createReferralsHandlers({ emulator, baseUrl: ORIGIN }));
    const newClient = (options: ReferralsClientOptions = {}) => createReferralsClient({ getToken: () => TOKEN, ...clientOptions, ...options });
    return { emulator, client: newClient(), newClient };
  };
}

/** A minimal valid create body. */
export const newReferral = (name = 'Contoso'): ReferralInput => ({
    name: `${name} opportunity`,
    type: 'Independent',
    qualification: 'SalesQualified',
    customerProfile: { name, address: { country: 'US' }, team: [{ firstName: 'Sue', lastName: 'Smith', email: 'sue@contoso.com' }] },
    consent: { consentToContact: true, consentToToShareInfoWithOthers: true, consentToShareReferralWithMicrosoftSellers: true },
    details: { notes: 'Needs a CRM sync', dealValue: 1000, currency: 'USD' },
  });
