/**
 * A real HTTP server (node:http) in front of the emulator, for `npm start` and for tests that
 * need sockets. Besides the API it serves the Redoc reference at /docs when it has been built.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GatewayRequest, GatewayResponse } from '../connector-runtime/gateway.js';
import { errorBody, type ReferralsEmulator } from './core/index.js';
import { BASE_PATH } from './core/spec.js';

export interface EmulatorServerOptions {
  emulator: ReferralsEmulator;
  /** 0 picks a free port (default 4010). */
  port?: number;
  host?: string;
  /** The built Redoc page to serve at /docs (e.g. dist/docs/index.html). */
  docsFile?: string;
  /**
   * Serves requests under /connector: `npm start` mounts the connector runtime there, so the
   * package can be called as the platform exposes it. Gets the path below /connector.
   */
  connector?: (request: GatewayRequest) => Promise<GatewayResponse>;
}

export const CONNECTOR_MOUNT = '/connector';

export interface EmulatorServer {
  /** Origin the server listens on, e.g. http://127.0.0.1:4010 */
  url: string;
  /** The API's base URL: `${url}/v1.0/engagements` */
  apiUrl: string;
  port: number;
  /** Stops listening and ends every open connection, including hanging ones. */
  close(): Promise<void>;
}

/** Reads the body, stopping (and keeping just past the limit) once it is too large. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size > limit) continue; // drain without keeping: the emulator answers 413 anyway
    chunks.push(chunk);
    size += chunk.length;
  }
  if (chunks.length === 0) return req.headers['content-length'] || req.headers['transfer-encoding'] ? '' : undefined;
  return Buffer.concat(chunks).toString('utf8');
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The URL a request addresses. Links in answers use the Host the client sent (localhost and
 * 127.0.0.1 both work), unless it is not a valid host: then the listening origin, since a bad
 * header must not turn into a 500. Only the path and query come from an origin-form target,
 * so `//other.example/...` is a path here, as RFC 9112 reads it, not a host.
 */
function requestUrl(req: IncomingMessage, listening: string): URL {
  let origin = listening;
  const host = req.headers.host;
  if (host && /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host)) {
    try {
      origin = new URL(`http://${host}`).origin;
    } catch {
      // not a host after all (e.g. port 99999): keep the listening origin
    }
  }
  const target = req.url ?? '/';
  if (target.startsWith('/')) return new URL(origin + target);
  try {
    return new URL(target); // absolute-form, as proxies send it
  } catch {
    return new URL(`${origin}/${target}`); // '*' and other oddities: a path that matches nothing
  }
}

async function serveDocs(res: ServerResponse, docsFile: string | undefined): Promise<void> {
  try {
    if (!docsFile) throw new Error('no docs file configured');
    const html = await readFile(docsFile);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': html.length });
    res.end(html);
  } catch {
    const text = 'The API reference has not been built yet: run `npm run build` (it writes dist/docs/index.html), then reload.\n';
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  }
}

export async function startEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const { emulator, docsFile } = options;
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let origin = '';

  const server = createServer((req, res) => {
    void respond(req, res).catch((err: unknown) => {
      // A bug in the emulator, not bad input: say so instead of hanging the client.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Emulator error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Requests Node's parser rejects (bad request line, headers or chunking) never reach the
  // emulator; answer them in the API's error shape too, instead of Node's bare 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && !socket.bytesWritten)) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      errorBody(tooLarge ? 'HeadersTooLarge' : 'MalformedRequest', `The HTTP request could not be parsed (${err.code ?? 'unknown error'}): ${tooLarge ? 'its headers are too large' : 'check the request line, headers and body framing'}.`),
    );
    // 400 for both: the statuses the API declares, so clients handle it like any bad request.
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req, origin);
    if (req.method === 'GET' && (url.pathname === '/docs' || url.pathname === '/docs/')) return serveDocs(res, docsFile);
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      const connector = options.connector ? { connector: `${url.origin}${CONNECTOR_MOUNT}/referrals` } : {};
      res.end(JSON.stringify({ api: `${url.origin}${BASE_PATH}/referrals`, docs: `${url.origin}/docs`, ...connector }));
      return;
    }
    const body = await readBody(req, emulator.maxBodyBytes);
    if (options.connector && (url.pathname === CONNECTOR_MOUNT || url.pathname.startsWith(`${CONNECTOR_MOUNT}/`))) {
      const answer = await options.connector({ method: req.method ?? 'GET', path: url.pathname.slice(CONNECTOR_MOUNT.length) + url.search, headers: headerRecord(req), body });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return;
    }
    const answer = await emulator.handle({ method: req.method ?? 'GET', url: url.href, headers: headerRecord(req), body });
    switch (answer.fault) {
      case 'hang':
        return; // never answered; close() ends the connection
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncate': {
        if (!answer.body) {
          req.socket.destroy(); // nothing to cut (204): the connection drops before the answer
          return;
        }
        const bytes = Buffer.from(answer.body, 'utf8');
        res.writeHead(answer.status || 200, { ...answer.headers, 'content-length': bytes.length });
        // Promise a full body, send half, then cut the connection.
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => req.socket.destroy());
        return;
      }
      default:
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: origin,
    apiUrl: `${origin}${BASE_PATH}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
