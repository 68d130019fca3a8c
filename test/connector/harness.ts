/**
 * Flows as tests: the built connector package (dist/connector) run by the connector runtime
 * against the emulator on a real loopback HTTP server. Each harness records what reached the
 * emulator, so a test asserts both sides.
 */
import { join } from 'node:path';
import { ConnectorRuntime, type ConnectionOptions } from '../../src/connector-runtime/index.js';
import { ReferralsEmulator, type Exchange } from '../../src/emulator/core/index.js';
import { BASE_PATH } from '../../src/emulator/core/spec.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { referralInput as emulatorReferralInput } from '../emulator/helpers.js';

export const CONNECTOR_DIR = join(import.meta.dirname, '..', '..', 'dist', 'connector');

/** ConnectorRuntime.load names the missing file and says to build first. */
export function loadBuiltConnector(): ConnectorRuntime {
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
  /**
   * A connection (no call limit) whose next backend answer runs `hook.run` once, after the
   * service has answered and before the runtime reads it: a change landing mid-poll.
   */
  connectWithHook(extra?: Partial<ConnectionOptions>): { conn: ReturnType<ConnectorRuntime['connect']>; hook: { run?: () => Promise<void> } };
  /** Stops the emulator's server and the runtime's custom-code process. */
  close(): Promise<void>;
}

export async function startHarness(options: { count?: number; runtime?: ConnectorRuntime } = {}): Promise<Harness> {
  let t = Date.parse('2026-03-02T09:00:00.000Z');
  const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms), ms: () => t };
  const received: Exchange[] = [];
  const emulator = new ReferralsEmulator({ seed: 7, count: options.count ?? 0, now: clock.now, rateLimit: false, onResponse: (x) => received.push(x) });
  const server = await startEmulatorServer({ emulator, port: 0 });
  const runtime = options.runtime ?? loadBuiltConnector();
  const harness: Harness = {
    runtime,
    emulator,
    server,
    received,
    clock,
    connect: (extra = {}) => runtime.connect({ backendBaseUrl: server.apiUrl, token: 'flow-connection-token', clock: clock.ms, ...extra }),
    connectWithHook(extra = {}) {
      const hook: { run?: () => Promise<void> } = {};
      const conn = runtime.connect({
        backendBaseUrl: server.apiUrl,
        token: 'flow-connection-token',
        callLimit: false,
        clock: clock.ms,
        ...extra,
        fetch: async (input, init) => {
          const res = await globalThis.fetch(input, init);
          const run = hook.run;
          hook.run = undefined;
          if (run) await run();
          return res;
        },
      });
      return { conn, hook };
    },
    close: async () => {
      await harness.runtime.close();
      await server.close();
    },
  };
  return harness;
}

/** Method and path (below the API base) of each request that reached the emulator. */
export function routesOf(received: Exchange[]): string[] {
  return received.map((x) => {
    const url = new URL(x.request.url);
    return `${x.request.method} ${url.pathname.replace(BASE_PATH, '')}`;
  });
}

/** A valid CreateReferral body named `name` (the emulator tests' fixture). */
export function referralInput(name: string): Record<string, unknown> {
  return emulatorReferralInput({ name });
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
