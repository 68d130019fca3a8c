#!/usr/bin/env node
/**
 * `partner-center-referrals`: export, read, watch and mirror referrals from the command line.
 * Exit codes: 0 done, 1 failed (the error says why), 2 bad usage, 130 stopped by Ctrl-C.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createReferralsClient, ReferralsApiError, watchReferrals, type Referral, type ReferralsClient } from '../index.js';
import { diffPatch } from '../client/patch.js';
import { isReadOnlyReferralMember } from '../client/read-only.js';
import { authOptions, AuthError } from './auth.js';
import { toCsv } from './flatten.js';
import { MirrorError, type Mirror } from './mirror-error.js';
import { createProgress, quotaMeter } from './progress.js';

export const USAGE = `Usage: partner-center-referrals <command> [options]

Commands:
  export              write every referral, or those matching --filter
  get <id>            print one referral as JSON
  watch               print changes as JSON lines, oldest first
  sync --db <file>    mirror referrals into a SQLite file, incrementally
  push --db <file>    send local edits back as JSON Patch with If-Match

Options:
  --base-url <url>    API base URL (env REFERRALS_API_URL; default https://api.partner.microsoft.com/v1.0/engagements)
  --token <token>     bearer token (env REFERRALS_TOKEN); without one, sign in with a device code (needs @azure/identity)
  --client-id <id>    Entra app (client) ID for the device-code sign-in (env AZURE_CLIENT_ID)
  --tenant <id>       Entra tenant for the device-code sign-in (env AZURE_TENANT_ID; default organizations)
  --filter <odata>    export, watch, sync: only referrals matching this OData filter
  --format <format>   export: jsonl (default), csv or json
  --out <file>        export: write this file (whole or not at all) instead of stdout
  --db <file>         sync, push: the SQLite mirror
  --since <time>      watch: start at this ISO 8601 time (default: the beginning)
  --once              watch, sync: stop when caught up instead of polling on
  --poll-interval <s> watch, sync: seconds between polls once caught up (default 60)
  --rate-limit <n/s>  calls allowed per seconds, kept to by the client (default 100/60)
  -h, --help          show this text

Exit codes: 0 done, 1 failed, 2 bad usage, 130 stopped by Ctrl-C.`;

const COMMON = ['base-url', 'token', 'client-id', 'tenant', 'rate-limit', 'help'];
const COMMANDS: Record<string, { options: string[]; positionals: number }> = {
  export: { options: ['filter', 'format', 'out'], positionals: 0 },
  get: { options: [], positionals: 1 },
  watch: { options: ['filter', 'since', 'once', 'poll-interval'], positionals: 0 },
  sync: { options: ['db', 'filter', 'once', 'poll-interval'], positionals: 0 },
  push: { options: ['db'], positionals: 0 },
};
const FORMATS = ['jsonl', 'csv', 'json'];

class UsageError extends Error {}
class Interrupted extends Error {}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'base-url': { type: 'string' },
      token: { type: 'string' },
      'client-id': { type: 'string' },
      tenant: { type: 'string' },
      'rate-limit': { type: 'string' },
      filter: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      db: { type: 'string' },
      since: { type: 'string' },
      once: { type: 'boolean' },
      'poll-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help) return { command: 'help', values, args };
  if (!command) throw new UsageError('No command given.');
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`Unknown command '${command}'.`);
  const stray = Object.keys(values).filter((k) => !COMMON.includes(k) && !spec.options.includes(k));
  if (stray.length) throw new UsageError(`${stray.map((k) => `--${k}`).join(', ')} ${stray.length > 1 ? 'are not options' : 'is not an option'} of ${command}.`);
  if (args.length !== spec.positionals) throw new UsageError(`${command} takes ${spec.positionals ? `${spec.positionals} argument (the referral id)` : 'no arguments'}, got ${args.length}: ${args.join(' ') || '(none)'}.`);
  if ((command === 'sync' || command === 'push') && !values.db) throw new UsageError(`${command} needs --db <file>.`);
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be an ISO 8601 time such as 2026-01-31T00:00:00Z, got '${values.since}'.`);
  if (values.format !== undefined && !FORMATS.includes(values.format)) throw new UsageError(`Unknown format '${values.format}'; use ${FORMATS.join(', ')}.`);
  return { command, values, args };
}

type Values = ReturnType<typeof parse>['values'];

function rateLimit(raw: string | undefined) {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(raw);
  if (!m || !(Number(m[1]) >= 1) || !(Number(m[2]) > 0)) throw new UsageError(`--rate-limit must be <calls>/<seconds>, e.g. 100/60, got '${raw}'.`);
  return { limit: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

function seconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) throw new UsageError(`${name} must be a number of seconds, got '${raw}'.`);
  return n * 1000;
}

/** Writes and waits for the stream to drain when it asks to, so large exports keep memory flat. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
}

async function run(argv: string[], io: Io): Promise<number> {
  const { command, values, args } = parse(argv);
  if (command === 'help') {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }
  const limit = rateLimit(values['rate-limit']);
  const pollIntervalMs = seconds('--poll-interval', values['poll-interval'], 60);
  // REFERRALS_API_URL, as the examples and READMEs name it; REFERRALS_BASE_URL is its earlier name.
  const baseUrl = values['base-url'] ?? io.env.REFERRALS_API_URL ?? io.env.REFERRALS_BASE_URL ?? 'https://api.partner.microsoft.com/v1.0/engagements';
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got '${baseUrl}'.`);
  const auth = await authOptions({
    token: values.token ?? io.env.REFERRALS_TOKEN,
    clientId: values['client-id'] ?? io.env.AZURE_CLIENT_ID,
    tenant: values.tenant ?? io.env.AZURE_TENANT_ID,
    prompt: (message) => void io.stderr.write(`${message}\n`),
  });
  const meter = quotaMeter();
  const client = createReferralsClient({ baseUrl, ...auth, rateLimit: limit, signal: io.signal, fetch: meter.fetch });
  const ctx = { client, meter, io, values, pollIntervalMs };
  switch (command) {
    case 'export':
      return exportAll(ctx);
    case 'get':
      await write(io.stdout, `${JSON.stringify(await client.getReferralById(args[0]!), null, 2)}\n`);
      return 0;
    case 'watch':
      return watch(ctx);
    case 'sync':
      return sync(ctx, baseUrl);
    default:
      return push(ctx, baseUrl);
  }
}

interface Ctx {
  client: ReferralsClient;
  meter: ReturnType<typeof quotaMeter>;
  io: Io;
  values: Values;
  pollIntervalMs: number;
}

async function exportAll({ client, meter, io, values }: Ctx): Promise<number> {
  const format = values.format ?? 'jsonl';
  const progress = createProgress(io.stderr, 'exported');
  const tmp = values.out && `${values.out}.partial-${process.pid}`;
  // To a file: streamed to a temporary name, renamed only when complete, so a failure leaves no half file.
  const file = tmp ? createWriteStream(tmp) : undefined;
  const failed = file && new Promise<never>((_, reject) => file.once('error', reject));
  failed?.catch(() => {}); // seen through the races below
  const emit = (text: string) => (file ? Promise.race([write(file, text), failed!]) : write(io.stdout, text));
  const rows: Referral[] = [];
  let n = 0;
  try {
    const pages = client.listReferrals({ filter: values.filter, count: true }).byPage();
    for (;;) {
      meter.asking();
      const next = await pages.next();
      if (next.done) break;
      const page = next.value;
      progress.total(page['@odata.count']);
      const items = page.value ?? [];
      // CSV waits for every row (the header needs all their columns); JSON goes out a page at a time.
      if (format === 'csv') rows.push(...items);
      else if (items.length) await emit(format === 'json' ? `${n ? ',\n' : '[\n'}${items.map((r) => JSON.stringify(r)).join(',\n')}` : `${items.map((r) => JSON.stringify(r)).join('\n')}\n`);
      n += items.length;
      progress.waited(meter.waitedMs);
      progress.add(page.value?.length ?? 0);
    }
    if (format === 'json') await emit(n ? '\n]\n' : '[]\n');
    if (format === 'csv') await emit(toCsv(rows));
    if (file) {
      await Promise.race([new Promise((resolve) => file.end(resolve)), failed!]);
      await rename(tmp!, values.out!);
    }
  } catch (err) {
    if (file) {
      // Closed before removed: a stream still opening would otherwise create the file after rm.
      if (!file.closed) await new Promise<void>((resolve) => file.destroy().once('close', () => resolve()));
      await rm(tmp!, { force: true });
    }
    throw err;
  } finally {
    progress.done();
  }
  return 0;
}

async function watch({ client, io, values, pollIntervalMs }: Ctx): Promise<number> {
  for await (const batch of watchReferrals(client, { filter: values.filter, since: values.since, once: values.once, pollIntervalMs, signal: io.signal })) {
    for (const r of batch.changes) await write(io.stdout, `${JSON.stringify(r)}\n`);
  }
  if (io.signal.aborted) throw new Interrupted('Stopped.');
  return 0;
}

/**
 * The mirror module, loaded only by sync and push: better-sqlite3 is an optional dependency (it
 * compiles natively), so the other commands and the client work without it.
 */
async function openMirror(file: string, baseUrl: string, options: { maxPages?: number; filter?: string } = {}): Promise<Mirror> {
  let mod: typeof import('./mirror.js');
  try {
    mod = await import('./mirror.js');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !String((err as Error).message).includes('better-sqlite3')) throw err;
    throw new MirrorError('sync and push need better-sqlite3, an optional dependency that was not installed (it compiles natively): run `npm install better-sqlite3@12`.');
  }
  return mod.Mirror.open(file, baseUrl, options);
}

async function sync({ client, meter, io, values, pollIntervalMs }: Ctx, baseUrl: string): Promise<number> {
  const mirror = await openMirror(values.db!, baseUrl, { maxPages: Number(io.env.PCR_SQLITE_MAX_PAGES) || undefined, filter: values.filter ?? '' });
  const progress = createProgress(io.stderr, 'synced');
  let applied = 0;
  try {
    const checkpoint = { load: () => mirror.checkpoint(), save: () => {} };
    meter.asking();
    for await (const batch of watchReferrals(client, { filter: values.filter, once: values.once, pollIntervalMs, signal: io.signal, checkpoint })) {
      // The batch and its checkpoint in one transaction: `save` above has nothing left to do.
      applied += mirror.apply(batch);
      progress.waited(meter.waitedMs);
      progress.add(batch.changes.length);
      meter.asking();
    }
    progress.done();
    const summary = `${applied} change${applied === 1 ? '' : 's'} applied; ${values.db} mirrors ${mirror.count()} referrals`;
    if (io.signal.aborted) throw new Interrupted(`Stopped: ${summary}, up to the last batch committed. Run sync again to resume.`);
    await write(io.stdout, `synced: ${summary}\n`);
    return 0;
  } finally {
    mirror.close();
  }
}

async function push({ client, io, values }: Ctx, baseUrl: string): Promise<number> {
  const mirror = await openMirror(values.db!, baseUrl);
  let pushed = 0;
  let conflicts = 0;
  let unchanged = 0;
  try {
    for (const edit of mirror.edits()) {
      if (io.signal.aborted) throw new Interrupted(`Stopped after ${pushed} pushed; the rest are still in ${values.db}.`);
      const ops = diffPatch(edit.doc, edit.edited, isReadOnlyReferralMember) as Parameters<ReferralsClient['patchReferralById']>[1];
      if (!ops.length) {
        mirror.unchanged(edit.id);
        unchanged++;
        continue;
      }
      try {
        const updated: Referral =
          (await client.patchReferralById(edit.id, ops, { ifMatch: edit.editETag, prefer: 'return=representation' })) ?? (await client.getReferralById(edit.id));
        mirror.pushed(updated);
        pushed++;
        await write(io.stdout, `pushed ${edit.id} (${ops.map((o) => o.path).join(', ')})\n`);
      } catch (err) {
        if (!(err instanceof ReferralsApiError && err.status === 412)) throw err;
        conflicts++;
        const reason = `The referral changed on the service since the edit was made (on eTag ${edit.editETag}); nothing was sent. Run sync, compare doc and edited, then set edited again.`;
        mirror.conflict(edit.id, reason);
        await write(io.stdout, `conflict ${edit.id}: ${reason}\n`);
      }
    }
  } finally {
    mirror.close();
  }
  await write(io.stdout, `push: ${pushed} pushed, ${conflicts} conflict${conflicts === 1 ? '' : 's'}, ${unchanged} unchanged\n`);
  return conflicts ? 1 : 0;
}

/** Runs the command line; resolves to the exit code. Exported for tests. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    const say = (text: string) => io.stderr.write(`${text}\n`);
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      say(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof Interrupted || io.signal.aborted) {
      say(err instanceof Interrupted ? err.message : 'Stopped.');
      return 130;
    }
    if (err instanceof ReferralsApiError) say(`Error: ${err.status ? `${err.status} ` : ''}${err.code}: ${err.description}`);
    else if (err instanceof MirrorError || err instanceof AuthError || err instanceof TypeError) say(`Error: ${err.message}`);
    else say(`Error: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href) {
  const ctl = new AbortController();
  // First Ctrl-C: stop after the batch in hand; a second one quits at once.
  process.once('SIGINT', () => {
    ctl.abort(new Error('Interrupted'));
    process.once('SIGINT', () => process.exit(130));
  });
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0); // the reader (head, less) has had enough
  });
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: ctl.signal });
}
