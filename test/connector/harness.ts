/**
 * Flows as tests: the built connector package (dist/connector) run by the connector runtime
 * against the emulator on a real loopback HTTP server. Each harness records what reached the
 * emulator, so a test asserts both sides.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorRuntime, type ConnectionOptions } from '../../src/connector-runtime/index.js';
import { ReferralsEmulator, type Exchange } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';

export const CONNECTOR_DIR = join(import.meta.dirname, '..', '..', 'dist', 'connector');

export function loadBuiltConnector(): ConnectorRuntime {
  if (!existsSync(join(CONNECTOR_DIR, 'apiProperties.json'))) throw new Error(`${CONNECTOR_DIR} is missing: run npm run build first`);
  return ConnectorRuntime.load(CONNECTOR_DIR);
}

export interface Harness {
  runtime: ConnectorRuntime;
  emulator: ReferralsEmulator;
  server: EmulatorServer;
  /** Every request that reached the emulator, in order. */
  received: Exchange[];
  clock: { now(): Date; advance(ms: number): void; ms(): number };
  connect(options?: Partial<ConnectionOptions>): ReturnType<ConnectorRuntime['connect']>;
  close(): Promise<void>;
}

export async function startHarness(options: { count?: number; runtime?: ConnectorRuntime } = {}): Promise<Harness> {
  let t = Date.parse('2026-03-02T09:00:00.000Z');
  const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms), ms: () => t };
  const received: Exchange[] = [];
  const emulator = new ReferralsEmulator({ seed: 7, count: options.count ?? 0, now: clock.now, rateLimit: false, onResponse: (x) => received.push(x) });
  const server = await startEmulatorServer({ emulator, port: 0 });
  const runtime = options.runtime ?? loadBuiltConnector();
  return {
    runtime,
    emulator,
    server,
    received,
    clock,
    connect: (extra = {}) => runtime.connect({ backendBaseUrl: server.apiUrl, token: 'flow-connection-token', clock: clock.ms, ...extra }),
    close: () => server.close(),
  };
}

/** Method and path (below the API base) of each request that reached the emulator. */
export function routesOf(received: Exchange[]): string[] {
  return received.map((x) => {
    const url = new URL(x.request.url);
    return `${x.request.method} ${url.pathname.replace('/v1.0/engagements', '')}`;
  });
}

export function referralInput(name: string): Record<string, unknown> {
  return {
    name,
    type: 'Shared',
    qualification: 'SalesQualified',
    customerProfile: {
      name: `${name} Ltd`,
      size: '50to1000employees',
      address: { addressLine1: '1 Pine Street', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
      team: [{ firstName: 'Sue', lastName: 'Smith', email: 'sue.smith@contoso.com' }],
    },
    consent: { consentToContact: true, consentToToShareInfoWithOthers: true, consentToShareReferralWithMicrosoftSellers: true },
    details: { notes: 'Wants a migration plan.', dealValue: 50000, currency: 'USD', closingDateTime: '2026-06-30T00:00:00Z' },
    team: [{ firstName: 'John', lastName: 'Doe', email: 'john.doe@fabrikam.com' }],
  };
}

export const registration = {
  type: 'AzureIPCoSell',
  contract: { value: 120000, currency: 'USD', startDateTime: '2026-07-01T00:00:00Z', endDateTime: '2027-06-30T00:00:00Z', signDateTime: '2026-06-20T00:00:00Z', term: 'Finite' },
  solutionDetails: [
    {
      id: 'SOL-1-IPC',
      name: 'Fabrikam Supply Chain Accelerator',
      value: 120000,
      currency: 'USD',
      isDeployedOnAzure: true,
      primaryDeploymentOn: 'Customer',
      pricingModel: 'PayAsYouGo',
      marketplaceTransactionDetails: { isMarketplaceTransacted: true, marketplaceTransactionDateTime: '2026-06-21T00:00:00Z' },
    },
  ],
};
