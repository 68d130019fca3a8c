import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { newEmulator, referralInput } from './helpers.js';

const auth = { authorization: 'Bearer http-token' };
const servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof newEmulator>[0] = {}, docsFile?: string) {
  const emulator = newEmulator(options);
  const server = await startEmulatorServer({ emulator, port: 0, docsFile });
  servers.push(server);
  return { emulator, server, api: `${server.apiUrl}/referrals` };
}

/** Raw HTTP, to see exactly what arrives before the connection ends. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status?: number; declared?: number; received: number; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { headers }, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      const done = (error?: string) => resolve({ status: res.statusCode, declared: Number(res.headers['content-length']), received, error });
      res.on('end', () => done());
      res.on('error', (e) => done(e.message));
      res.on('aborted', () => done('aborted'));
    });
    req.on('error', (e) => resolve({ received: 0, error: e.message }));
    req.end();
  });
}

/** Sends `head` as written (no client-side checks) and returns the status line and body. */
function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [headers = '', ...rest] = text.split('\r\n\r\n');
      let body = rest.join('\r\n\r\n');
      if (/transfer-encoding: chunked/i.test(headers)) body = body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n/gi, '').replace(/\r\n$/, '');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), body });
    });
  });
}

describe('HTTP server', () => {
  it('listens on 127.0.0.1 and serves the API with real fetch', async () => {
    const { server, api, emulator } = await start({ count: 7 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const created = await fetch(api, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(referralInput()) });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(created.headers.get('location')).toBe(`${api}/${body.id}`);
    const page = await (await fetch(`${api}?$top=3`, { headers: auth })).json();
    expect(page.value).toHaveLength(3);
    expect(page['@odata.nextLink'].startsWith(`${api}?$skiptoken=`)).toBe(true);
    const next = await (await fetch(page['@odata.nextLink'], { headers: auth })).json();
    expect(next.value).toHaveLength(3);
    const patched = await fetch(`${api}/${body.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json', prefer: 'return=representation' },
      body: JSON.stringify([{ op: 'replace', path: '/name', value: 'Over HTTP' }]),
    });
    expect((await patched.json()).name).toBe('Over HTTP');
    expect(emulator.requests.map((r) => r.status)).toEqual([201, 200, 200, 200]);
  });

  it('answers 413 without buffering an oversized body', async () => {
    const { api, emulator } = await start({ maxBodyBytes: 4096 });
    const res = await fetch(api, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('PayloadTooLarge');
    expect(emulator.requests[0]!.body!.length).toBeLessThan(200_000);
  });

  it('resets the connection, hangs, and truncates bodies on request', async () => {
    const { api, emulator, server } = await start({ count: 20 });
    emulator.injectFault({ kind: 'reset' });
    await expect(fetch(api, { headers: auth })).rejects.toThrow(/fetch failed/);

    emulator.injectFault({ kind: 'truncate' });
    const cut = await rawGet(api, auth);
    expect(cut.status).toBe(200);
    expect(cut.received).toBeGreaterThan(0);
    expect(cut.received).toBeLessThan(cut.declared!);
    expect(cut.error).toBeDefined();

    emulator.injectFault({ kind: 'hang', count: 2 });
    await expect(fetch(api, { headers: auth, signal: AbortSignal.timeout(200) })).rejects.toThrow(/abort|timeout/i);
    const pending = fetch(api, { headers: auth }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 100));
    await server.close(); // must not wait for the hanging request
    expect(await pending).toBe('failed');
  });

  it('serves /docs when the reference is built, and says how to build it otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-docs-'));
    try {
      const file = join(dir, 'index.html');
      await writeFile(file, '<!doctype html><title>Partner Center Referrals API</title>');
      const built = await start({}, file);
      const docs = await fetch(`${built.server.url}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
      expect(await docs.text()).toContain('Partner Center Referrals API');

      const missing = await start({}, join(dir, 'nope.html'));
      const res = await fetch(`${missing.server.url}/docs`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('npm run build');

      const index = await (await fetch(`${missing.server.url}/`)).json();
      expect(index).toEqual({ api: `${missing.api}`, docs: `${missing.server.url}/docs` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers a bad Host header on its own origin instead of a 500, and reads // as a path', async () => {
    const { server } = await start({ count: 3 });
    const get = (target: string, host: string) => rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer x`);
    for (const host of ['a b', '[::1', 'example.com/path', 'example.com:99999']) {
      const res = await get('/v1.0/engagements/referrals?$top=1', host);
      expect(res.status, host).toBe(200);
      expect(JSON.parse(res.body)['@odata.nextLink'].startsWith(`${server.apiUrl}/referrals?`), host).toBe(true);
    }
    // The Host the client used is kept when it is a host: links then work for that client.
    const named = await get('/v1.0/engagements/referrals?$top=1', `localhost:${server.port}`);
    expect(JSON.parse(named.body)['@odata.nextLink'].startsWith(`http://localhost:${server.port}/v1.0/`)).toBe(true);
    const path = await get('//evil.example/v1.0/engagements/referrals', '127.0.0.1');
    expect(path.status).toBe(404);
    expect(JSON.parse(path.body).description).toContain('No resource at //evil.example/v1.0/engagements/referrals');
  });

  it('answers requests Node cannot parse (bad framing, oversized headers) with the API error body, not a bare 400 or 431', async () => {
    const { server } = await start();
    for (const head of ['NONSENSE', 'GET /v1.0/engagements/referrals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3']) {
      const res = await rawRequest(server.port, head);
      expect(res.status, head).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'MalformedRequest', data: [], source: 'PartnerReferrals' });
      expect(JSON.parse(res.body).description).toMatch(/^The HTTP request could not be parsed \(HPE_/);
    }
    const huge = await rawRequest(server.port, `GET /v1.0/engagements/referrals HTTP/1.1\r\nHost: x\r\nX-Padding: ${'x'.repeat(20_000)}`);
    expect(huge.status).toBe(400);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 'HeadersTooLarge' });
    // The server still serves after them.
    expect((await fetch(`${server.apiUrl}/referrals`, { headers: auth })).status).toBe(200);
  });

  it('reports a port in use', async () => {
    const { server } = await start();
    await expect(startEmulatorServer({ emulator: newEmulator(), port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
