// The generated client addressed to the connector as Power Platform exposes it: its calls go
// through the connector runtime (src/connector-runtime) running the built package
// (dist/connector), so the package's own routing policies decide where each call lands, exactly
// as for a flow. Needs `npm run build` first (ConnectorRuntime.load says so otherwise).
import { join } from 'node:path';
import { ConnectorRuntime } from '../../src/connector-runtime/index.js';
import { handleGatewayRequest } from '../../src/connector-runtime/gateway.js';
import type { FetchAPI } from '../../generated/typescript-fetch/index.js';

/** Where the generated client sends its calls: the connector's root as flows reach it. */
export const CONNECTOR_BASE = 'https://connector.test/apim/partner-center-referrals';

const runtime = ConnectorRuntime.load(join(import.meta.dirname, '..', '..', 'dist', 'connector'));

/** A fetchApi for the generated client: the connector, calling `backendBaseUrl` with `token`. */
export function throughConnector(backendBaseUrl: string, token: string): FetchAPI {
  const connection = runtime.connect({ backendBaseUrl, token, connectorBaseUrl: CONNECTOR_BASE, callLimit: false });
  return async (input, init = {}) => {
    const url = new URL(String(input));
    if (!url.href.startsWith(`${CONNECTOR_BASE}/`)) throw new Error(`${url.href} is not on the connector (${CONNECTOR_BASE})`);
    const answer = await handleGatewayRequest(connection, {
      method: init.method ?? 'GET',
      path: url.href.slice(CONNECTOR_BASE.length),
      headers: Object.fromEntries(new Headers(init.headers)),
      body: typeof init.body === 'string' ? init.body : undefined,
    });
    const empty = answer.status === 204 || answer.status === 304 || answer.body === '';
    return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
  };
}
