/**
 * `npm start` runs `tsx src/emulator/cli.ts`: start it like that on a free port, run the curl
 * scenario of the issue with fetch, page to the end, then press "Ctrl-C" (SIGINT to the
 * process group, as a terminal does) and expect a clean exit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateReferrals } from '../../src/emulator/core/seed.js';
import { spawnTracked, useCleanup } from '../cli/helpers.js';
import { prerequisites } from '../prerequisites.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const connectorBuilt = prerequisites('npm start with /connector', [!existsSync(join(root, 'dist/connector')) && 'dist/connector is missing (npm run build)']);

// Fails a test that leaves any process of the server's group running (tsx's wrapper runs the
// server in a child of its own).
useCleanup();

function run(args: string[], env: Record<string, string> = {}) {
  const app = spawnTracked(tsx, ['src/emulator/cli.ts', ...args], { cwd: root, env });
  const url = new Promise<string>((resolve, reject) => {
    app.child.stdout!.on('data', () => {
      // Wait for the banner's last line: the chunk holding "API:" need not hold the rest.
      const { stdout } = app.output();
      const m = /API:\s+(http:\/\/\S+)/.exec(stdout);
      if (m && stdout.includes('Press Ctrl-C to stop.')) resolve(m[1]!);
    });
    void app.exited.then(() => reject(new Error(`exited before listening:\n${app.output().stdout}\n${app.output().stderr}`)));
  });
  return { ...app, url };
}

describe('npm start (src/emulator/cli.ts)', () => {
  it('serves seeded referrals, pages the curl scenario to the end, stops cleanly on Ctrl-C', async () => {
    const app = run(['--port', '0']);
    const api = await app.url;
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/engagements\/referrals$/);
    expect(app.output().stdout).toContain('300 referrals (seed 1), throttling 100 calls per 60 s per token');
    expect(app.output().stdout).toContain(`curl -H 'Authorization: Bearer x' '${api}?$top=5&$filter=status%20eq%20%27New%27'`);

    const headers = { authorization: 'Bearer x' };
    let next: string | undefined = `${api}?$top=5&$filter=status%20eq%20%27New%27`;
    const sizes: number[] = [];
    const ids = new Set<string>();
    while (next) {
      const res = await fetch(next, { headers });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { value: Array<{ id: string; status: string }>; '@odata.nextLink'?: string };
      sizes.push(page.value.length);
      for (const r of page.value) {
        expect(r.status).toBe('New');
        ids.add(r.id);
      }
      next = page['@odata.nextLink'];
      if (sizes.length > 100) throw new Error('paging does not end');
    }
    expect(sizes[0]).toBe(5);
    expect(sizes.slice(0, -1).every((n) => n === 5)).toBe(true);
    const all = (await (await fetch(`${api}?$filter=status%20eq%20%27New%27&$count=true&$top=1`, { headers })).json()) as { '@odata.count': number };
    expect(ids.size).toBe(all['@odata.count']);
    expect(ids.size).toBeGreaterThan(50); // ~300 seeded, about a third New

    // /docs: the built Redoc page when dist/docs/index.html exists, otherwise how to build it.
    const docs = await fetch(api.replace('/v1.0/engagements/referrals', '/docs'));
    if (existsSync(join(root, 'dist/docs/index.html'))) {
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
      expect((await docs.text()).toLowerCase()).toContain('redoc');
    } else {
      expect(docs.status).toBe(404);
      expect(await docs.text()).toContain('npm run build');
    }

    process.kill(-app.child.pid!, 'SIGINT');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output().stdout).toContain('SIGINT: stopping the emulator.');
    await expect(fetch(api, { headers })).rejects.toThrow();
  });

  it("answers the $filter that hung the server (issue 16, [\"#O) with a 400 at once, and goes on answering, /connector included", async () => {
    const app = run(['--port', '0', '--no-throttle']);
    const api = await app.url;
    const headers = { authorization: 'Bearer x' };
    // The server runs in its own process: if the filter hung it, the abort fails this test in 1 s.
    const bad = await fetch(`${api}?$filter=${encodeURIComponent('["#O')}`, { headers, signal: AbortSignal.timeout(1_000) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'InvalidFilter', description: expect.stringContaining("unexpected character '[' (U+005B) at position 0") });
    const after = await fetch(`${api}?$top=1`, { headers, signal: AbortSignal.timeout(5_000) });
    expect(after.status).toBe(200);
    const connector = app.output().stdout.match(/Connector:\s+(http:\/\/\S+)/)?.[1];
    if (connectorBuilt) {
      expect(connector, app.output().stdout).toBeDefined();
      const viaConnector = await fetch(`${connector}?$filter=${encodeURIComponent('["#O')}`, { signal: AbortSignal.timeout(1_000) });
      expect(viaConnector.status).toBe(400);
      const page = await fetch(`${connector}?$top=1`, { signal: AbortSignal.timeout(5_000) });
      expect(page.status).toBe(200);
    }
    process.kill(-app.child.pid!, 'SIGINT');
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it('takes the port from PORT, the seed and count from flags, and stops on SIGTERM', async () => {
    const probe = await import('node:net').then(
      (net) =>
        new Promise<number>((resolve) => {
          const s = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = s.address() as { port: number };
            s.close(() => resolve(port));
          });
        }),
    );
    const app = run(['--seed', '42', '--count', '12', '--no-throttle'], { PORT: String(probe) });
    const api = await app.url;
    expect(api).toBe(`http://127.0.0.1:${probe}/v1.0/engagements/referrals`);
    expect(app.output().stdout).toContain('12 referrals (seed 42), no throttling');
    const page = (await (await fetch(`${api}?$count=true`, { headers: { authorization: 'Bearer y' } })).json()) as { '@odata.count': number; value: Array<{ id: string }> };
    expect(page['@odata.count']).toBe(12);
    // --seed picks the data: the server holds exactly what seed 42 generates (for its start-up
    // day; yesterday's too in case the test straddles midnight UTC), not what seed 1 does.
    const ids = page.value.map((r) => r.id);
    const seeded = (seed: number, daysAgo: number) => generateReferrals({ seed, count: 12, anchor: new Date(Date.now() - daysAgo * 86_400_000) }).map((r) => r.id);
    expect([seeded(42, 0), seeded(42, 1)]).toContainEqual(ids);
    expect(ids).not.toEqual(seeded(1, 0));
    process.kill(-app.child.pid!, 'SIGTERM');
    expect((await app.exited).code).toBe(0);
  });

  it('explains bad flags', async () => {
    const app = run(['--port', 'eighty']);
    await expect(app.url).rejects.toThrow();
    expect((await app.exited).code).toBe(2);
    expect(app.output().stderr).toContain("--port must be an integer from 0 to 65535, got 'eighty'");
    expect(app.output().stderr).toContain('Usage: npm start');
  });
});
