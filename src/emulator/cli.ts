/**
 * `npm start`: the Referrals API on this machine, no credentials needed.
 *
 *   npm start -- [--port 4010] [--host 127.0.0.1] [--seed 1] [--count 300] [--no-throttle]
 *
 * PORT in the environment sets the port when --port is not given.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConnectorRuntime, PackageError, type Connection } from '../connector-runtime/index.js';
import { handleGatewayRequest } from '../connector-runtime/gateway.js';
import { packageRoot } from '../package-root.js';
import { ReferralsEmulator } from './core/index.js';
import { CONNECTOR_MOUNT, startEmulatorServer } from './http.js';

const USAGE = `Usage: npm start -- [--port N] [--host H] [--seed N] [--count N] [--no-throttle]
  --port N       port to listen on (default: PORT or 4010; 0 picks a free one)
  --host H       address to listen on (default 127.0.0.1)
  --seed N       seed of the generated referrals (default 1)
  --count N      number of generated referrals (default 300)
  --no-throttle  turn off both call limits of 100 calls per 60 s: the API's per token
                 and the /connector connection's`;

class UsageError extends Error {}

function integer(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new UsageError(`${name} must be an integer from 0 to ${max}, got '${raw}'`);
  return Number(raw);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      count: { type: 'string' },
      'no-throttle': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = integer('--port', values.port ?? process.env.PORT, 4010, 65535);
  const seed = integer('--seed', values.seed, 1, 2 ** 32 - 1);
  const count = integer('--count', values.count, 300, 100_000);
  const throttle = !values['no-throttle'];

  const emulator = new ReferralsEmulator({ seed, count, rateLimit: throttle ? undefined : false });
  // The built connector package, run by the connector runtime against this emulator over
  // loopback, as a flow's connection would reach Partner Center.
  const connectorDir = join(packageRoot(), 'dist', 'connector');
  let runtime: ConnectorRuntime | undefined;
  let connectorNote: string;
  try {
    runtime = ConnectorRuntime.load(connectorDir);
    connectorNote = '';
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    connectorNote = `  Connector: not served (${err.message})`;
  }
  let connection: Connection | undefined;
  const server = await startEmulatorServer({
    emulator,
    port,
    host: values.host,
    docsFile: join(packageRoot(), 'dist', 'docs', 'index.html'),
    connector: runtime ? (request) => handleGatewayRequest(connection!, request) : undefined,
  });
  if (runtime) {
    connection = runtime.connect({
      backendBaseUrl: server.apiUrl,
      connectorBaseUrl: `${server.url}${CONNECTOR_MOUNT}`,
      token: 'local-connection',
      callLimit: throttle ? undefined : false,
    });
  }
  const collection = `${server.apiUrl}/referrals`;
  const connectorLines = runtime
    ? [
        `  Connector: ${server.url}${CONNECTOR_MOUNT}/referrals (dist/connector, policies applied; the connection signs in for you)`,
        `  curl '${server.url}${CONNECTOR_MOUNT}/referrals?$top=2'`,
      ]
    : [connectorNote];
  // One write, so a reader of stdout (a test, a wrapper script) never sees half a banner.
  console.log(
    [
      `Partner Center Referrals emulator: ${count} referrals (seed ${seed}), ${throttle ? 'throttling 100 calls per 60 s per token' : 'no throttling'}`,
      `  API:  ${collection}`,
      `  Docs: ${server.url}/docs`,
      'Try:',
      `  curl -H 'Authorization: Bearer x' '${collection}?$top=5&$filter=status%20eq%20%27New%27'`,
      ...connectorLines,
      'Any bearer token is accepted. Press Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the emulator.`);
    Promise.all([server.close(), runtime?.close()]).then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        console.error(`Could not close cleanly: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error(`The port is in use; pass another one with --port or PORT (${(err as Error).message}).`);
    process.exitCode = 1;
    return;
  }
  console.error(err);
  process.exitCode = 1;
});
