// The command line against a real emulator server: --help, export in every format, get, watch,
// service errors, auth without a token, and progress only on a terminal. Usage errors and other
// bad input: bad-input.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { main, USAGE } from '../../src/cli/main.js';
import { fromCsv } from '../../src/cli/flatten.js';

import { createProgress, progressLine } from '../../src/cli/progress.js';
import { Capture, serve, spawnCli, useCleanup, withoutNulls } from './helpers.js';

const { tmp } = useCleanup();

/** The referrals as the API presents them (with links), by id. */
async function listed(apiUrl: string): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  let next: string | undefined = `${apiUrl}/referrals`;
  while (next) {
    const page = (await (await fetch(next, { headers: { authorization: 'Bearer t' } })).json()) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
    for (const r of page.value) out.set(r.id as string, r);
    next = page['@odata.nextLink'];
  }
  return out;
}

describe('usage', () => {
  it('--help prints the usage on stdout, exit 0', async () => {
    const s = await serve();
    const r = await s.cli(['--help']);
    expect(r).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
  });
});

describe('export', () => {
  it('writes every referral as JSON lines, JSON and CSV, the same set each time', async () => {
    const s = await serve({ count: 230 });
    const want = await listed(s.server.apiUrl);
    const jsonl = await s.cli(['export']);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stderr).toBe('');
    const lines = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(want.size);
    for (const r of lines) expect(r).toEqual(want.get(r.id as string));

    const json = await s.cli(['export', '--format', 'json']);
    expect(new Map((JSON.parse(json.stdout) as Record<string, unknown>[]).map((r) => [r.id, r]))).toEqual(want);

    const dir = tmp();
    const csv = await s.cli(['export', '--format', 'csv', '--out', join(dir, 'all.csv')]);
    expect(csv).toEqual({ code: 0, stdout: '', stderr: '' });
    const text = readFileSync(join(dir, 'all.csv'), 'utf8');
    expect(text.split('\n')[0]).toContain(',customerProfile.team[0].email,');
    // Null members come back missing (documented); everything else as it was.
    expect(new Map(fromCsv(text).map((r) => [r.id, r]))).toEqual(new Map([...want].map(([id, r]) => [id, withoutNulls(r)])));
  });

  it('applies --filter, and shows the service error description for one it rejects', async () => {
    const s = await serve({ count: 60 });
    const ok = await s.cli(['export', '--filter', "status eq 'New'"]);
    const got = ok.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { status: string });
    expect(got.length).toBe([...(await listed(s.server.apiUrl)).values()].filter((r) => r.status === 'New').length);
    expect(got.every((r) => r.status === 'New')).toBe(true);

    const bad = await s.cli(['export', '--filter', 'nosuchfield eq 1', '--out', join(tmp(), 'x.jsonl')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Error: 400 InvalidFilter: $filter: unknown field 'nosuchfield' on Referral (at position 0).\n");
  });

  it('leaves no file behind when the export fails', async () => {
    const s = await serve({ count: 250 });
    const dir = tmp();
    s.emulator.injectFault({ kind: 500, count: 10, match: { operation: 'GetAllReferrals' } });
    // The second page fails for good (the client gives up after its retries).
    s.emulator.requests.length = 0;
    const r = await s.cli(['export', '--out', join(dir, 'out.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: 500 InternalServerError: Injected fault/);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('streams to a temporary file while it runs, renamed only at the end', async () => {
    const s = await serve({ count: 500 });
    const dir = tmp();
    const out = join(dir, 'all.jsonl');
    const during: { files: string[]; bytes: number }[] = [];
    const log = s.emulator.requests;
    // Looked at as the service answers the fourth page: three are in by then.
    log.push = (...entries) => {
      if (log.filter((q) => q.operation === 'GetAllReferrals').length === 3) {
        const files = readdirSync(dir);
        during.push({ files, bytes: files.length ? statSync(join(dir, files[0]!)).size : 0 });
      }
      return Array.prototype.push.apply(log, entries);
    };
    expect(await s.cli(['export', '--out', out])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(during).toHaveLength(1);
    expect(during[0]!.files).toEqual([`all.jsonl.partial-${process.pid}`]);
    expect(during[0]!.bytes).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['all.jsonl']);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(500);
  });

  it('leaves nothing behind when the file cannot be written, and fetches nothing', async () => {
    const s = await serve({ count: 5 });
    const dir = tmp();
    const r = await s.cli(['export', '--out', join(dir, 'no-such-folder', 'all.jsonl')]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `Error: --out ${join(dir, 'no-such-folder', 'all.jsonl')}: the folder ${join(dir, 'no-such-folder')} does not exist; create it, or write the file somewhere else.\n` });
    expect(readdirSync(dir)).toEqual([]);
    expect(s.emulator.requests).toEqual([]);
  });

  it(`of 20,000 referrals makes exactly ceil(20000 / 100) = 200 calls`, async () => {
    const s = await serve({ count: 20_000, requestLogLimit: 1000 });
    const out = join(tmp(), 'all.jsonl');
    const r = await s.cli(['export', '--out', out, '--rate-limit', '1000/1']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(s.emulator.requests.filter((q) => q.operation === 'GetAllReferrals')).toHaveLength(200);
    expect(s.emulator.requests).toHaveLength(200);
    const ids = new Set(readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
    expect(ids.size).toBe(20_000);
  }, 120_000);
});

describe('the base URL from the environment', () => {
  it('reads REFERRALS_API_URL, the name the examples use, and still REFERRALS_BASE_URL; --base-url wins over both', async () => {
    const s = await serve({ count: 2 });
    const [first] = s.emulator.store.list();
    const get = async (env: NodeJS.ProcessEnv, extra: string[] = []) => {
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await main(['get', first!.id, ...extra], { stdout, stderr, env: { REFERRALS_TOKEN: 't', ...env }, signal: new AbortController().signal });
      return { code, id: code ? stderr.text : (JSON.parse(stdout.text) as { id: string }).id };
    };
    expect(await get({ REFERRALS_API_URL: s.server.apiUrl })).toEqual({ code: 0, id: first!.id });
    expect(await get({ REFERRALS_BASE_URL: s.server.apiUrl })).toEqual({ code: 0, id: first!.id });
    expect(await get({ REFERRALS_API_URL: s.server.apiUrl, REFERRALS_BASE_URL: 'http://127.0.0.1:1/v1.0/engagements' })).toEqual({ code: 0, id: first!.id });
    expect(await get({ REFERRALS_API_URL: 'http://127.0.0.1:1/v1.0/engagements' }, ['--base-url', s.server.apiUrl])).toEqual({ code: 0, id: first!.id });
    expect(USAGE).toContain('(env REFERRALS_API_URL;');
  });
});

describe('get and watch', () => {
  it('get prints one referral; an unknown id is a 404 with the service description', async () => {
    const s = await serve({ count: 3 });
    const [first] = s.emulator.store.list();
    const r = await s.cli(['get', first!.id]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: first!.id, eTag: first!.eTag });
    const missing = await s.cli(['get', '00000000-0000-0000-0000-000000000000']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: "Error: 404 NotFound: Referral '00000000-0000-0000-0000-000000000000' was not found.\n" });
  });

  it('watch --once prints each change once as a JSON line, oldest first, from --since', async () => {
    const s = await serve({ count: 40 });
    const all = s.emulator.store.list().sort((a, b) => String(a.updatedDateTime).localeCompare(String(b.updatedDateTime)));
    const since = String(all[20]!.updatedDateTime);
    const r = await s.cli(['watch', '--once', '--since', since]);
    expect(r.code).toBe(0);
    const got = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; updatedDateTime: string });
    expect(got.map((g) => g.id)).toEqual(all.slice(20).map((a) => a.id));
  });

  it('watch stops cleanly with exit 130 when interrupted', async () => {
    const s = await serve({ count: 5 });
    const ctl = new AbortController();
    const running = s.cli(['watch', '--poll-interval', '0.01'], { signal: ctl.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    ctl.abort();
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(5);
    expect(r.stderr).toBe('Stopped.\n');
  });
});

describe('auth', () => {
  const identityInstalled = existsSync(join(import.meta.dirname, '../../node_modules/@azure/identity'));
  it.skipIf(identityInstalled)('without a token and without @azure/identity, says how to get either', async () => {
    const s = await serve();
    // A real process: the optional import must fail the way Node fails it, not a test transform.
    const c = spawnCli(['get', 'x', '--base-url', s.server.apiUrl], { REFERRALS_TOKEN: '' });
    expect((await c.exited).code).toBe(1);
    const { stderr } = c.output();
    expect(stderr).toContain('No token: pass --token or set REFERRALS_TOKEN');
    expect(stderr).toContain('npm install @azure/identity');
    expect(s.emulator.requests).toHaveLength(0);
  });
});

describe('without the optional better-sqlite3', () => {
  it('sync and push say how to install it and create no file; the other commands work', async () => {
    const s = await serve({ count: 3 });
    const db = join(tmp(), 'crm.db');
    const hook = join(import.meta.dirname, 'fixtures/without-better-sqlite3.mjs');
    const sync = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl], {}, undefined, [hook]);
    expect((await sync.exited).code).toBe(1);
    expect(sync.output().stderr).toBe('Error: sync and push need better-sqlite3, an optional dependency that was not installed (it compiles natively): run `npm install better-sqlite3@12`.\n');
    expect(existsSync(db)).toBe(false);
    const get = spawnCli(['get', s.emulator.store.list()[0]!.id, '--base-url', s.server.apiUrl], {}, undefined, [hook]);
    expect((await get.exited).code).toBe(0);
  });
});

describe('progress', () => {
  it('shows count, rate, ETA and quota wait on a terminal, nothing when piped', async () => {
    expect(progressLine('exported', 1200, 4000, 20_000, 12_340)).toBe('exported 1,200/20,000 · 300/s · ETA 1:03 · waited 12.3 s for the quota');
    expect(progressLine('synced', 10, 1000, undefined, 0)).toBe('synced 10 · 10/s · waited 0.0 s for the quota');

    const s = await serve({ count: 250 });
    const tty = await s.cli(['export', '--out', join(tmp(), 'a.jsonl')], { ttyErr: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/\r\x1b\[Kexported 250\/250 · [\d,]+\/s · ETA 0:00 · waited \d+\.\d s for the quota\n$/);

    let t = 0;
    const piped = new Capture(false);
    const p = createProgress(piped, 'x', { now: () => (t += 1000) });
    p.total(10);
    p.add(5);
    p.done();
    expect(piped.text).toBe('');
  });

  it('is quiet on piped stderr in a real process, which exits 0', async () => {
    const s = await serve({ count: 120 });
    const c = spawnCli(['export', '--base-url', s.server.apiUrl, '--format', 'csv']);
    const { code } = await c.exited;
    expect(code).toBe(0);
    expect(c.output().stderr).toBe('');
    expect(parse(c.output().stdout, { columns: true })).toHaveLength(120);
  });
});
