/**
 * The connector as the platform exposes it: a request addressed to the connector's host (path
 * as the swagger declares it) runs the matching operation through the connection, policies
 * applied. Plain data in and out, so any HTTP server can mount it (`npm start` does, at /connector).
 */
import { FlowInputError } from './inputs.js';
import type { Connection } from './runtime.js';

export interface GatewayRequest {
  method: string;
  /** Path and query below the connector's root, e.g. `/referrals?$top=5`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// Framing headers describe the backend's bytes, not the re-serialised body.
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);

function json(status: number, code: string, message: string): GatewayResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: { code, message } }) };
}

export async function handleGatewayRequest(connection: Connection, request: GatewayRequest): Promise<GatewayResponse> {
  let body: unknown;
  if (request.body !== undefined && request.body !== '') {
    try {
      body = JSON.parse(request.body);
    } catch (err) {
      return json(400, 'InvalidJson', `The request body is not JSON: ${(err as Error).message}`);
    }
  }
  try {
    const res = await connection.route(request.method, request.path, request.headers, body);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
    const text = res.body === undefined ? '' : typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    return { status: res.status, headers, body: text };
  } catch (err) {
    // route() answers unknown paths and methods itself; the only run failure left is a refused input.
    if (err instanceof FlowInputError) return json(400, 'InvalidFlowInput', err.message);
    throw err;
  }
}
