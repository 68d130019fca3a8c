#!/usr/bin/env node
/**
 * `partner-center-referrals`: export, read, watch and mirror referrals from the command line.
 * Exit codes: 0 done, 1 failed (the error says why), 2 bad usage, 130 stopped by Ctrl-C
 * (SIGINT), 143 by SIGTERM, 129 by SIGHUP.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createReferralsClient, ReferralsApiError, watchReferrals, type Referral, type ReferralsClient } from '../index.js';
import { diffPatch } from '../client/patch.js';
import { isReadOnlyReferralMember } from '../client/read-only.js';
import { checkOptions, CliError, OPTIONS, unknown, UsageError } from './args.js';
import { authOptions, AuthError } from './auth.js';
import { toCsv } from './flatten.js';
import { MirrorError, type Mirror } from './mirror-error.js';
import { OutFile, partialFiles } from './out-file.js';
import { createProgress, quotaMeter, type Quota } from './progress.js';

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

Exit codes: 0 done, 1 failed, 2 bad usage, 130 stopped by Ctrl-C, 143 by SIGTERM.`;

const COMMON = ['base-url', 'token', 'client-id', 'tenant', 'rate-limit', 'help'];
const COMMANDS: Record<string, { options: string[]; positionals: number }> = {
  export: { options: ['filter', 'format', 'out'], positionals: 0 },
  get: { options: [], positionals: 1 },
  watch: { options: ['filter', 'since', 'once', 'poll-interval'], positionals: 0 },
  sync: { options: ['db', 'filter', 'once', 'poll-interval'], positionals: 0 },
  push: { options: ['db'], positionals: 0 },
};
const FORMATS = ['jsonl', 'csv', 'json'];
/** The client's default quota, which the ETA plans with unless --rate-limit says otherwise. */
const DEFAULT_QUOTA: Quota = { limit: 100, windowMs: 60_000 };

/** A run stopped by a signal, with what it got done; printed as it is. */
class Interrupted extends Error {}

/** What `signal` aborts with when a signal stops the run: 128 + the signal's number, as shells report it. */
export function stopReason(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP'): Error & { exitCode: number } {
  return Object.assign(new Error(`Stopped by ${signal}`), { exitCode: { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 }[signal] });
}
const exitCodeOf = (signal: AbortSignal) => (signal.reason as { exitCode?: number } | undefined)?.exitCode ?? 130;

/** Watch and sync: the service never answered, so no later poll would either (a wrong --base-url, say). */
class Unreachable extends Error {
  constructor(readonly error: ReferralsApiError) {
    super(error.message);
  }
}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

function parse(argv: string[]) {
  checkOptions(argv);
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  const [command, ...args] = positionals;
  if (values.help) return { command: 'help', values, args };
  if (!command) throw new UsageError('No command given.');
  const spec = COMMANDS[command];
  if (!spec) throw unknown('command', command, Object.keys(COMMANDS));
  const stray = Object.keys(values).filter((k) => !COMMON.includes(k) && !spec.options.includes(k));
  if (stray.length) throw new UsageError(`${stray.map((k) => `--${k}`).join(', ')} ${stray.length > 1 ? 'are not options' : 'is not an option'} of ${command}.`);
  if (args.length !== spec.positionals) throw new UsageError(`${command} takes ${spec.positionals ? `${spec.positionals} argument (the referral id)` : 'no arguments'}, got ${args.length}: ${args.join(' ') || '(none)'}.`);
  if (command === 'get' && !args[0]!.trim()) throw new UsageError(`get needs a referral id, got ${args[0] ? 'only spaces' : 'an empty one'}.`);
  if ((command === 'sync' || command === 'push') && !values.db) throw new UsageError(`${command} needs --db <file>.`);
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be an ISO 8601 time such as 2026-01-31T00:00:00Z, got '${values.since}'.`);
  if (values.format !== undefined && !FORMATS.includes(values.format)) throw unknown('format', values.format, FORMATS, `use ${FORMATS.join(', ')}`);
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

async function run(argv: string[], io: Io, seen: { meter?: Meter }): Promise<number> {
  const { command, values, args } = parse(argv);
  if (command === 'help') {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }
  const limit = rateLimit(values['rate-limit']);
  const pollIntervalMs = seconds('--poll-interval', values['poll-interval'], 60);
  // REFERRALS_API_URL, as the examples and READMEs name it; REFERRALS_BASE_URL is its earlier name.
  const baseUrl = values['base-url'] ?? io.env.REFERRALS_API_URL ?? io.env.REFERRALS_BASE_URL ?? 'https://api.partner.microsoft.com/v1.0/engagements';
  if (!/^https?:\/\/[^/]/.test(baseUrl) || !URL.canParse(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got '${baseUrl}'.`);
  // Checked (and created) before anything is fetched or signed in to: a bad path costs nothing.
  const out = command === 'export' && values.out ? await OutFile.open(values.out, values.format ?? 'jsonl') : undefined;
  try {
    const auth = await authOptions({
      // The value of an Authorization header pasted whole is the token after "Bearer ".
      token: (values.token ?? io.env.REFERRALS_TOKEN)?.replace(/^\s*Bearer\s+/i, ''),
      clientId: values['client-id'] ?? io.env.AZURE_CLIENT_ID,
      tenant: values.tenant ?? io.env.AZURE_TENANT_ID,
      prompt: (message) => void io.stderr.write(`${message}\n`),
    });
    const meter = (seen.meter = quotaMeter(undefined, limit ?? DEFAULT_QUOTA));
    const client = createReferralsClient({ baseUrl, ...auth, rateLimit: limit, signal: io.signal, fetch: meter.fetch });
    const ctx = { client, meter, io, values, pollIntervalMs };
    switch (command) {
      case 'export':
        return await exportAll(ctx, out);
      case 'get':
        await write(io.stdout, `${JSON.stringify(await client.getReferralById(args[0]!), null, 2)}\n`);
        return 0;
      case 'watch':
        return await watch(ctx);
      case 'sync':
        return await sync(ctx, baseUrl);
      default:
        return await push(ctx, baseUrl);
    }
  } catch (err) {
    await out?.discard();
    throw err;
  }
}

type Meter = ReturnType<typeof quotaMeter>;

interface Ctx {
  client: ReferralsClient;
  meter: Meter;
  io: Io;
  values: Values;
  pollIntervalMs: number;
}

async function exportAll({ client, meter, io, values }: Ctx, file: OutFile | undefined): Promise<number> {
  const format = values.format ?? 'jsonl';
  const progress = createProgress(io.stderr, 'exported', { eta: (remaining, done, now) => meter.etaMs(remaining, done, now) });
  const emit = (text: string) => (file ? file.write(text) : write(io.stdout, text));
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
    await file?.commit();
  } catch (err) {
    await file?.discard();
    throw err;
  } finally {
    progress.done();
  }
  return 0;
}

/**
 * The client as watch and sync poll through it. Until the service has answered once, a call
 * that gets no answer after the client's retries ends the run (Unreachable) instead of being
 * waited out poll after poll: nothing was ever reached, so it is the URL or the network, not
 * an outage.
 */
function pollingClient(client: ReferralsClient, meter: Meter): ReferralsClient {
  const getAllReferrals: ReferralsClient['getAllReferrals'] = async (query, options) => {
    try {
      return await client.getAllReferrals(query, options);
    } catch (err) {
      if (err instanceof ReferralsApiError && !err.status && !meter.answered) throw new Unreachable(err);
      throw err;
    }
  };
  return { ...client, getAllReferrals };
}

async function watch({ client, meter, io, values, pollIntervalMs }: Ctx): Promise<number> {
  const feed = watchReferrals(pollingClient(client, meter), { filter: values.filter, since: values.since, once: values.once, pollIntervalMs, signal: io.signal });
  for await (const batch of feed) {
    for (const r of batch.changes) await write(io.stdout, `${JSON.stringify(r)}\n`);
  }
  if (io.signal.aborted) throw new Interrupted('Stopped.');
  return 0;
}

/**
 * The mirror module, loaded only by sync and push: better-sqlite3 is an optional dependency (it
 * compiles natively), so the other commands and the client work without it.
 */
async function openMirror(file: string, baseUrl: string, options: { command: 'sync' | 'push'; maxPages?: number; filter?: string }): Promise<Mirror> {
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
  const mirror = await openMirror(values.db!, baseUrl, { command: 'sync', maxPages: Number(io.env.PCR_SQLITE_MAX_PAGES) || undefined, filter: values.filter ?? '' });
  const progress = createProgress(io.stderr, 'synced');
  let applied = 0;
  let done = false;
  try {
    const checkpoint = { load: () => mirror.checkpoint(), save: () => {} };
    meter.asking();
    const feed = watchReferrals(pollingClient(client, meter), { filter: values.filter, once: values.once, pollIntervalMs, signal: io.signal, checkpoint });
    for await (const batch of feed) {
      // The batch and its checkpoint in one transaction: `save` above has nothing left to do.
      applied += mirror.apply(batch);
      progress.waited(meter.waitedMs);
      progress.add(batch.changes.length);
      meter.asking();
    }
    progress.done();
    const summary = `${applied} change${applied === 1 ? '' : 's'} applied; ${values.db} mirrors ${mirror.count()} referrals`;
    if (io.signal.aborted) {
      if (mirror.empty) throw new Interrupted(`Stopped before anything was mirrored; ${values.db} was not created.`);
      throw new Interrupted(`Stopped: ${summary}, up to the last batch committed. Run sync again to resume.`);
    }
    done = true;
    await write(io.stdout, `synced: ${summary}\n`);
    return 0;
  } finally {
    // A first sync that failed leaves no empty mirror behind.
    if (!done && mirror.empty) mirror.discard();
    else mirror.close();
  }
}

async function push({ client, io, values }: Ctx, baseUrl: string): Promise<number> {
  const mirror = await openMirror(values.db!, baseUrl, { command: 'push' });
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

/** The innermost error code of a failed call's cause chain (ECONNREFUSED, ENOTFOUND, a TLS code...). */
function causeOf(err: ReferralsApiError): { code?: string; message: string } {
  let cause = err.cause as { cause?: unknown; code?: string; message?: string } | undefined;
  while (cause?.cause) cause = cause.cause as typeof cause;
  return { code: cause?.code, message: cause?.message ?? '' };
}

/** What to do about a call that got no answer, by its cause. */
function noAnswerHint(err: ReferralsApiError): string {
  const url = /^\w+ (\S+):/.exec(err.description)?.[1];
  const { host = '', port = '' } = url && URL.canParse(url) ? new URL(url) : {};
  const { code = '', message } = causeOf(err);
  if (err.code === 'Timeout') return 'The service took too long to answer; try again later.';
  if (code === 'ECONNREFUSED') return `Nothing accepts connections at ${host}: check --base-url (or REFERRALS_API_URL), and that the service (for the emulator, \`npm start\`) runs there.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name was not found (DNS): check --base-url (or REFERRALS_API_URL) for a typo, and your network.`;
  if (/^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
    return `The TLS (https) connection to ${host} failed: check that the URL's scheme matches the server (http or https), and that its certificate is valid and trusted (NODE_EXTRA_CA_CERTS).`;
  }
  if (message === 'bad port') return `fetch refuses port ${port}, one of the ports the Fetch standard blocks: use another port.`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'The connection was cut before the answer was complete; try again.';
  return 'Check --base-url (or REFERRALS_API_URL) and the network.';
}

/** The text after `Error: ` for a failure; never a second "Error:" and never a temporary file's name. */
function describe(err: unknown, meter: Meter | undefined): string {
  if (err instanceof Unreachable) err = err.error;
  if (err instanceof ReferralsApiError) {
    const head = `${err.status ? `${err.status} ` : ''}${err.code}: ${err.description}`;
    if (err.status) return head;
    const tries = meter && meter.failures.count > 1 ? `, ${meter.failures.count} attempts in ${(meter.failures.ms / 1000).toFixed(1)} s` : '';
    return `${head}${tries}. ${noAnswerHint(err)}`;
  }
  if (err instanceof CliError || err instanceof MirrorError || err instanceof AuthError || err instanceof TypeError) return err.message;
  // Not one of ours: a bug or an unforeseen failure. Its stack helps a report; its first line repeats the message.
  const e = err instanceof Error ? err : new Error(String(err));
  return [e.message, ...(e.stack?.split('\n').filter((l) => /^\s+at /.test(l)) ?? [])].join('\n');
}

/** Runs the command line; resolves to the exit code. Exported for tests. */
export async function main(argv: string[], io: Io): Promise<number> {
  const seen: { meter?: Meter } = {};
  try {
    return await run(argv, io, seen);
  } catch (err) {
    const say = (text: string) => io.stderr.write(`${text}\n`);
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      say(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof Interrupted || io.signal.aborted) {
      say(err instanceof Interrupted ? err.message : 'Stopped.');
      return exitCodeOf(io.signal);
    }
    say(`Error: ${describe(err, seen.meter)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href) {
  const ctl = new AbortController();
  // Ctrl-C, or a service manager's SIGTERM: stop after the batch in hand, cleaning up as a
  // failure does; a second signal quits at once. Either way no temporary export file is left.
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(name, () => {
      if (ctl.signal.aborted) process.exit(stopReason(name).exitCode);
      ctl.abort(stopReason(name));
    });
  }
  process.on('exit', () => {
    for (const file of partialFiles) rmSync(file, { force: true });
  });
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0); // the reader (head, less) has had enough
  });
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: ctl.signal });
}
