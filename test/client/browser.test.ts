// The client bundled for browsers (esbuild, platform browser) and run in Debian's Chromium
// (playwright-core) against the emulator's HTTP server: fetch, AbortController, structuredClone
// and crypto.randomUUID as a browser provides them. The page is served on the server's origin
// (so no CORS is involved) by routing one URL; API calls reach the real server.
// A missing /usr/bin/chromium skips locally and fails in CI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { CHROMIUM, CHROMIUM_MISSING, launchChromium } from '../docs/chromium.js';
import { prerequisites } from '../prerequisites.js';

const ready = prerequisites('the client browser test', [!existsSync(CHROMIUM) && CHROMIUM_MISSING]);

const ENTRY = `
import { createReferralsClient, ReferralsApiError } from ${JSON.stringify(fileURLToPath(new URL('../../src/index.ts', import.meta.url)))};

globalThis.runClient = async (baseUrl) => {
  const client = createReferralsClient({ baseUrl, getToken: () => 'browser-token', retry: { maxRetries: 1, baseDelayMs: 10 } });
  const ids = [];
  for await (const r of client.listReferrals({ filter: "status eq 'New'" })) ids.push(r.id);
  const created = await client.createReferral({
    type: 'Independent',
    customerProfile: { name: 'Browser Co' },
    consent: { consentToContact: true },
    details: { notes: 'from a browser' },
  });
  const updated = await client.updateReferral(created.id, (r) => { r.details.notes = 'edited in a browser'; });
  let error;
  try {
    await client.getReferralById('no/such id');
  } catch (err) {
    error = err instanceof ReferralsApiError ? { status: err.status, code: err.code, json: JSON.stringify(err) } : String(err);
  }
  const aborted = await client.getAllReferrals(undefined, { signal: AbortSignal.abort(new Error('stopped')) }).catch((e) => e.message);
  return { ids, created: created.id, notes: updated.details.notes, error, aborted };
};
`;

describe.skipIf(!ready)('client in Chromium', () => {
  let browser: Browser;
  let server: EmulatorServer;
  let emulator: ReferralsEmulator;
  let bundle: string;

  beforeAll(async () => {
    const out = await build({ stdin: { contents: ENTRY, loader: 'js', resolveDir: process.cwd() }, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
    bundle = out.outputFiles[0]!.text;
    emulator = new ReferralsEmulator({ seed: 5, count: 40, maxPageSize: 6, rateLimit: false });
    server = await startEmulatorServer({ emulator, port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists every page, creates, updates with If-Match and reports errors, as in Node', async () => {
    const page = await browser.newPage();
    const offMachine: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === `${server.url}/app`) return route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>${bundle.replace(/<\/script/gi, '<\\/script')}</script>` });
      if (url.startsWith(`${server.url}/`)) return route.continue();
      offMachine.push(url);
      return route.abort();
    });
    await page.goto(`${server.url}/app`);
    const result = await page.evaluate((api) => (globalThis as unknown as { runClient(u: string): Promise<unknown> }).runClient(api), server.apiUrl);

    const expected = emulator.store.list().filter((r) => r.status === 'New' && r.id !== (result as { created: string }).created);
    expect(result).toMatchObject({ notes: 'edited in a browser', error: { status: 404, code: 'NotFound' }, aborted: 'stopped' });
    const { ids, error } = result as { ids: string[]; error: { json: string } };
    expect([...ids].sort()).toEqual(expected.map((r) => r.id).sort());
    expect(error.json).not.toContain('browser-token');
    const listCalls = emulator.requests.filter((r) => r.operation === 'GetAllReferrals');
    expect(listCalls).toHaveLength(Math.ceil(expected.length / 6));
    for (const r of emulator.requests) {
      expect(r.headers.authorization).toBe('Bearer browser-token');
      expect(r.headers['ms-correlationid']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const patch = emulator.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.headers['if-match']).toMatch(/^".+"$/);
    expect(offMachine).toEqual([]);
    await page.close();
  });
});
