// What a careless user types, and what the command line answers: a usage error (exit 2) or an
// error (exit 1) that names the problem and what to do, one "Error:" prefix, no temporary file
// names, nothing fetched in vain and nothing left behind.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closest } from '../../src/cli/args.js';
import { main, USAGE } from '../../src/cli/main.js';
import { createProgress, quotaEtaMs } from '../../src/cli/progress.js';
import { journalRows } from '../sync/mirror-helpers.js';
import { Capture, serve, spawnCli, until, useCleanup } from './helpers.js';

const { tmp } = useCleanup();
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});


/** A loopback port nothing listens on (a server's, just closed). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('usage errors exit 2, with the usage text', () => {
  it.each([
    [['get', ''], 'get needs a referral id, got an empty one.'],
    [['get', '   '], 'get needs a referral id, got only spaces.'],
    [['export', '--out', ''], '--out is empty; give it a value (--out <file>) or leave it out.'],
    [['export', '--filter='], '--filter is empty; give it a value (--filter <odata>) or leave it out.'],
    [['export', '--out'], '--out needs a value: --out <file>.'],
    [['export', '--formt', 'csv'], "Unknown option '--formt'. Did you mean --format?"],
    [['sync', '--db', 'crm.db', '--poll-intervall', '5'], "Unknown option '--poll-intervall'. Did you mean --poll-interval?"],
    [['export', '--fitler', "status eq 'New'"], "Unknown option '--fitler'. Did you mean --filter?"],
    [['export', '-x'], "Unknown option '-x'."],
    [['exprot'], "Unknown command 'exprot'. Did you mean 'export'?"],
    [['export', '--format', 'jsonn'], "Unknown format 'jsonn'; use jsonl, csv, json. Did you mean 'jsonl' or 'json'?"],
    [['export', '--format', 'cvs'], "Unknown format 'cvs'; use jsonl, csv, json. Did you mean 'csv'?"],
    [['export', '--base-url', 'http://'], "--base-url must be an http(s) URL, got 'http://'."],
    [['frobnicate'], "Unknown command 'frobnicate'."],
    [[], 'No command given.'],
    [['export', '--colour'], "Unknown option '--colour'."],
    [['export', '--format', 'xml'], "Unknown format 'xml'; use jsonl, csv, json."],
    [['export', '--db', 'x.db'], '--db is not an option of export.'],
    [['sync'], 'sync needs --db <file>.'],
    [['get'], 'get takes 1 argument (the referral id), got 0: (none).'],
    [['watch', '--poll-interval', 'soon'], "--poll-interval must be a number of seconds, got 'soon'."],
    [['export', '--rate-limit', '100'], "--rate-limit must be <calls>/<seconds>, e.g. 100/60, got '100'."],
    [['watch', '--since', 'yesterday'], "--since must be an ISO 8601 time such as 2026-01-31T00:00:00Z, got 'yesterday'."],
  ])('%j', async (args, message) => {
    const s = await serve();
    const r = await s.cli(args);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${message}\n\n${USAGE}\n` });
    expect(s.emulator.requests).toHaveLength(0);
  });

  it('suggests only what is close, and nothing for what is not', () => {
    expect(closest('colour', ['format', 'filter', 'out'])).toEqual([]);
    expect(closest('fromat', ['format', 'filter'])).toEqual(['format']);
    expect(closest('synk', ['export', 'get', 'watch', 'sync', 'push'])).toEqual(['sync']);
    expect(closest('rate', ['rate-limit', 'tenant'])).toEqual(['rate-limit']);
  });
});

describe('export --out is checked before anything is fetched', () => {
  it('an existing folder, a missing folder, a file in the way: exit 1, no call made, nothing created', async () => {
    const s = await serve({ count: 5 });
    const dir = tmp();
    const folder = join(dir, 'exports');
    mkdirSync(folder);
    writeFileSync(join(dir, 'notes.txt'), 'notes\n');
    const cases: [string, string][] = [
      [folder, `--out ${folder} is a folder; give the path of a file, such as ${join(folder, 'referrals.csv')}.`],
      [join(dir, 'missing', 'all.csv'), `--out ${join(dir, 'missing', 'all.csv')}: the folder ${join(dir, 'missing')} does not exist; create it, or write the file somewhere else.`],
      [join(dir, 'notes.txt', 'all.csv'), `--out ${join(dir, 'notes.txt', 'all.csv')}: ${join(dir, 'notes.txt')} is not a folder.`],
    ];
    for (const [out, message] of cases) {
      expect(await s.cli(['export', '--format', 'csv', '--out', out])).toEqual({ code: 1, stdout: '', stderr: `Error: ${message}\n` });
    }
    expect(s.emulator.requests).toHaveLength(0);
    expect(readdirSync(dir).sort()).toEqual(['exports', 'notes.txt']);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a failure at the end names the file asked for, once prefixed, never the temporary one', async () => {
    const s = await serve({ count: 250 });
    const dir = tmp();
    const out = join(dir, 'all.jsonl');
    // The path becomes a folder while the export runs: the final rename fails (EISDIR).
    const log = s.emulator.requests;
    log.push = (...entries) => {
      if (log.length === 1) mkdirSync(out);
      return Array.prototype.push.apply(log, entries);
    };
    const r = await s.cli(['export', '--out', out]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `Error: Writing ${out} failed: it is a folder (EISDIR). Nothing was written to ${out}.\n` });
    expect(readdirSync(dir)).toEqual(['all.jsonl']);
    expect(statSync(out).isDirectory()).toBe(true);
  });
});

describe('push and sync on a path with no mirror', () => {
  it('push refuses a missing or empty file, says how to create the mirror, and creates nothing', async () => {
    const s = await serve({ count: 3 });
    const dir = tmp();
    const typo = join(dir, 'crm.bd');
    const r = await s.cli(['push', '--db', typo]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error: ${typo} does not exist, so there is nothing to push: push sends the edits made in a mirror that sync created. Check the path, or create the mirror with \`partner-center-referrals sync --db ${typo} --once\`.\n`,
    });
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect((await s.cli(['push', '--db', empty])).stderr).toContain(`${empty} is empty, so there is nothing to push`);
    expect(readdirSync(dir)).toEqual(['empty.db']);
    expect(statSync(empty).size).toBe(0);
    expect(s.emulator.requests).toHaveLength(0);
  });

  it('sync refuses a folder, and a first sync that fails leaves no file behind', async () => {
    const s = await serve({ count: 3 });
    const dir = tmp();
    expect((await s.cli(['sync', '--db', dir, '--once'])).stderr).toBe(`Error: ${dir} is a folder; --db takes the path of the mirror file, such as ${join(dir, 'crm.db')}.\n`);
    const db = join(dir, 'crm.db');
    const bad = await s.cli(['sync', '--db', db, '--once', '--filter', 'nosuchfield eq 1']);
    expect(bad).toEqual({ code: 1, stdout: '', stderr: "Error: 400 InvalidFilter: $filter: unknown field 'nosuchfield' on Referral (at position 0).\n" });
    expect(readdirSync(dir)).toEqual([]);
    // An empty file it found is left empty, not removed.
    writeFileSync(db, '');
    expect((await s.cli(['sync', '--db', db, '--once', '--filter', 'nosuchfield eq 1'])).code).toBe(1);
    expect(readdirSync(dir)).toEqual(['crm.db']);
    expect(statSync(db).size).toBe(0);
    // And a good first sync keeps its mirror.
    expect((await s.cli(['sync', '--db', db, '--once'])).stdout).toBe(`synced: 3 changes applied; ${db} mirrors 3 referrals\n`);
  });
});

describe('a call that gets no answer names the URL and the cause, and what to do', () => {
  it('connection refused, a blocked port, TLS to a plain-HTTP server, a host name that does not resolve', async () => {
    const s = await serve({ count: 1 });
    const refused = `http://127.0.0.1:${await closedPort()}/v1.0/engagements`;
    const tls = s.server.apiUrl.replace('http:', 'https:');
    const run = (url: string, imports: string[] = []) => spawnCli(['get', 'some-id', '--base-url', url], {}, undefined, imports);
    const children = [run(refused), run('http://127.0.0.1:1/v1.0/engagements'), run(tls), run('http://partner.invalid/v1.0/engagements', [join(import.meta.dirname, 'fixtures/no-dns.mjs')])];
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes.map((c) => c.code)).toEqual([1, 1, 1, 1]);
    const [a, b, c, d] = children.map((c) => c.output().stderr);
    // The client retried 5 times (backoff 0.5 + 1 + 2 + 4 s, jittered) before giving up.
    const tries = String.raw`, 5 attempts in \d+\.\d s\. `;
    expect(a).toMatch(new RegExp(`^Error: NetworkError: GET ${refused}/referrals/some-id: ECONNREFUSED${tries}Nothing accepts connections at 127\\.0\\.0\\.1:\\d+: check --base-url \\(or REFERRALS_API_URL\\), and that the service \\(for the emulator, \`npm start\`\\) runs there\\.\\n$`));
    expect(b).toMatch(new RegExp(`^Error: NetworkError: GET http://127\\.0\\.0\\.1:1/v1\\.0/engagements/referrals/some-id: bad port${tries}fetch refuses port 1, one of the ports the Fetch standard blocks: use another port\\.\\n$`));
    expect(c).toMatch(new RegExp(`^Error: NetworkError: GET ${tls}/referrals/some-id: ERR_SSL_WRONG_VERSION_NUMBER${tries}The TLS \\(https\\) connection to 127\\.0\\.0\\.1:\\d+ failed: check that the URL's scheme matches the server`));
    expect(d).toMatch(new RegExp(`^Error: NetworkError: GET http://partner\\.invalid/v1\\.0/engagements/referrals/some-id: ENOTFOUND${tries}The host name was not found \\(DNS\\): check --base-url`));
    expect(s.emulator.requests).toHaveLength(0);
  }, 60_000);

  it('a timeout says how long it waited', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // A service that accepts the request and never answers: only the client's timer ends it.
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason))));
    const stderr = new Capture();
    const running = main(['get', 'some-id', '--base-url', 'http://127.0.0.1:9000/v1.0/engagements', '--token', 't'], { stdout: new Capture(), stderr, env: {}, signal: new AbortController().signal });
    for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(10_000);
    expect(await running).toBe(1);
    expect(stderr.text).toMatch(
      /^Error: Timeout: GET http:\/\/127\.0\.0\.1:9000\/v1\.0\/engagements\/referrals\/some-id: no complete answer within \d+ ms, \d attempts in \d+\.\d s\. The service took too long to answer; try again later\.\n$/,
    );
  });

  it('watch and sync stop when the service was never reached, instead of polling a wrong URL forever', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1.0/engagements`;
    const db = join(tmp(), 'crm.db');
    const [watch, sync] = [spawnCli(['watch', '--base-url', url]), spawnCli(['sync', '--db', db, '--base-url', url])];
    expect((await watch.exited).code).toBe(1);
    expect((await sync.exited).code).toBe(1);
    expect(watch.output().stderr).toMatch(/^Error: NetworkError: GET http:\/\/127\.0\.0\.1:\d+\/v1\.0\/engagements\/referrals\?\$filter=updatedDateTime.*: ECONNREFUSED, 5 attempts in/);
    expect(sync.output().stderr).toMatch(/ECONNREFUSED, 5 attempts in/);
    expect(existsSync(db)).toBe(false);
  }, 60_000);
});

describe('tokens and filters as the user typed them', () => {
  it("a token pasted with its 'Bearer ' works, and a malformed one gets the service's hint unmangled", async () => {
    const s = await serve({ count: 1 });
    const [one] = s.emulator.store.list();
    expect((await s.cli(['get', one!.id, '--token', 'Bearer abc'])).code).toBe(0);
    expect(s.emulator.requests[0]!.headers.authorization).toBe('Bearer abc');
    const bad = await s.cli(['get', one!.id, '--token', 'abc def']);
    expect(bad).toEqual({ code: 1, stdout: '', stderr: "Error: 401 Unauthorized: The Authorization header is malformed; send 'Authorization: Bearer <access token>'.\n" });
  });

  it('watch and sync report filter errors at positions in the filter typed, not in the one they send', async () => {
    const s = await serve({ count: 5 });
    const db = join(tmp(), 'crm.db');
    expect(await s.cli(['watch', '--once', '--filter', "status eq 'New' and nosuch eq 1"])).toEqual({
      code: 1,
      stdout: '',
      stderr: "Error: 400 InvalidFilter: $filter: unknown field 'nosuch' on Referral (at position 20).\n",
    });
    const r = await s.cli(['sync', '--db', db, '--once', '--filter', "status eq 'New' and"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: 400 InvalidFilter: \$filter: .* at position 1[5-9] \(/);
    // What the service was asked: the watch's own query, then the user's filter alone.
    const filters = s.emulator.requests.map((q) => new URL(q.path, 'http://x').searchParams.get('$filter'));
    expect(filters.slice(-2)).toEqual([expect.stringMatching(/^updatedDateTime ge .* and \(status eq 'New' and\)$/), "status eq 'New' and"]);
  });
});

describe('signals', () => {
  it('SIGTERM during an export stops it like Ctrl-C: exit 143, no temporary file left', async () => {
    const s = await serve({ count: 500 });
    const dir = tmp();
    const out = join(dir, 'all.jsonl');
    // One call a second: the export is still running when the signal comes.
    const c = spawnCli(['export', '--out', out, '--base-url', s.server.apiUrl, '--rate-limit', '1/1']);
    await until('the first page', () => s.emulator.requests.length > 0, c.output);
    expect(readdirSync(dir)).toEqual([`all.jsonl.partial-${c.child.pid}`]);
    c.child.kill('SIGTERM');
    expect(await c.exited).toEqual({ code: 143, signal: null });
    expect(c.output()).toEqual({ stdout: '', stderr: 'Stopped.\n' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('SIGTERM stops sync at its last committed batch, exit 143', async () => {
    const s = await serve({ count: 300 });
    const db = join(tmp(), 'crm.db');
    const c = spawnCli(['sync', '--db', db, '--base-url', s.server.apiUrl, '--rate-limit', '1/1']);
    await until('the first batch', () => journalRows(db) > 0, c.output);
    c.child.kill('SIGTERM');
    expect((await c.exited).code).toBe(143);
    expect(c.output().stderr).toMatch(/^Stopped: 100 changes applied; .* mirrors 100 referrals, up to the last batch committed\. Run sync again to resume\.\n$/);
  });
});

describe('the ETA counts the quota', () => {
  it('plans the calls left under the quota', () => {
    // 100 calls per 60 s, 100 made in the first 2 s (20 ms each): the next 100 wait for the window.
    const answers = Array.from({ length: 100 }, (_, i) => (i + 1) * 20);
    expect(quotaEtaMs(100, 20, { limit: 100, windowMs: 60_000 }, answers, 2000)).toBe(60_020 + 100 * 20 - 2000);
    // Under the limit, only the pace counts.
    expect(quotaEtaMs(10, 20, { limit: 100, windowMs: 60_000 }, answers.slice(0, 5), 100)).toBe(200);
  });

  it('shows it on the terminal: 10,000 of 20,000 done in 2 s at 100 calls a minute is a minute away, not 2 s', () => {
    const tty = new Capture(true);
    let t = 0;
    const p = createProgress(tty, 'exported', {
      now: () => t,
      eta: (remaining, done, now) => quotaEtaMs(Math.ceil(remaining / (done / 100)), 20, { limit: 100, windowMs: 60_000 }, Array.from({ length: 100 }, (_, i) => (i + 1) * 20), now),
    });
    p.total(20_000);
    t = 2000;
    p.add(10_000);
    expect(tty.text).toContain('exported 10,000/20,000 · 5,000/s · ETA 1:00');
  });

  it('in a real export under a quota of 5 calls per 2 s, the first line already counts the wait', async () => {
    const s = await serve({ count: 1000 });
    const r = await s.cli(['export', '--out', join(tmp(), 'all.jsonl'), '--rate-limit', '5/2'], { ttyErr: true });
    expect(r.code).toBe(0);
    const first = /\r\x1b\[Kexported 100\/1,000 · [\d,]+\/s · ETA 0:0(\d)/.exec(r.stderr);
    expect(first, r.stderr).not.toBeNull();
    // 9 calls left, 4 of them before the window is full: the rest wait about 2 s.
    expect(Number(first![1])).toBeGreaterThanOrEqual(2);
    expect(Number(first![1])).toBeLessThanOrEqual(3);
  }, 30_000);
});
