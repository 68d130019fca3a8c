// The READMEs are the newcomer's only guide, so they are tested like code: the samples they
// embed are the files under examples/ (type-checked and run against the emulator), the English
// and Japanese versions have the same sections and commands, and every script, flag, method,
// option and path they name exists.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { createReferralsClient } from '../../src/index.js';
import { embeds, READMES, ROOT } from './embed.js';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SAMPLES = ['examples/quickstart.ts', 'examples/typescript-fetch.ts', 'examples/crm-sync.ts', 'examples/mocks.ts'];
const EXAMPLES_TSCONFIG = 'examples/tsconfig.json';
const FIX_EMBEDS = 'npx tsx test/readme/embed.ts --write';

const text = Object.fromEntries(READMES.map((name) => [name, readFileSync(join(ROOT, name), 'utf8')])) as Record<(typeof READMES)[number], string>;
const [EN, JA] = READMES;

/** Sections the issues ask for, by anchor id; both READMEs must carry each of them. */
const REQUIRED_SECTIONS = [
  'build',
  'entra-app',
  'import',
  'import-pac',
  'import-paconn',
  'import-portal',
  'trigger',
  'client',
  'client-typescript-fetch',
  'crm-sync',
  'cli',
  'other-languages',
  'emulator',
  'connector-local',
  'mocks',
  'regenerate',
  'troubleshooting',
  'error-401',
  'error-412',
  'error-429',
];

/** Commands a newcomer must find, verbatim, in both READMEs. */
const REQUIRED_COMMANDS = [
  'npm ci && npm run build',
  'npm test',
  'npm start',
  'npm run lint',
  'npm run generate',
  'pac connector create',
  'paconn create',
  `npx tsx --tsconfig ${EXAMPLES_TSCONFIG} examples/quickstart.ts`,
  `npx tsx --tsconfig ${EXAMPLES_TSCONFIG} examples/mocks.ts`,
  `npx tsx --tsconfig ${EXAMPLES_TSCONFIG} examples/crm-sync.ts`,
  'npm run generate:sdk -- python',
  'npm start -- --port 4020',
  'npm run lint:corpus',
  'npm run runtime:corpus',
];

/** Outside fenced code: fences would hide `#` comments that look like headings. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '');
}

/** `<a id="x"></a>` anchors with the level of the heading on the next line. */
function sections(markdown: string): Array<{ id: string; level: number }> {
  return [...prose(markdown).matchAll(/^<a id="([\w-]+)"><\/a>\n(#+) /gm)].map((m) => ({ id: m[1]!, level: m[2]!.length }));
}

/** Lines of the ```sh blocks, in order. */
function shellLines(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1]!.split('\n').filter((l) => l.trim()));
}

const scriptsOf = () => Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

describe.each(READMES)('%s', (name) => {
  const markdown = text[name];

  it('embeds each sample verbatim', () => {
    const found = embeds(markdown);
    expect(found.map((e) => e.file), `${name} must embed the samples between <!-- embed: ... --> markers`).toEqual(SAMPLES);
    for (const embed of found) {
      const file = readFileSync(join(ROOT, embed.file), 'utf8');
      expect(embed.shown, `${name}:${embed.line}: the block differs from ${embed.file}. Fix: ${FIX_EMBEDS}`).toBe(file);
    }
  });

  it('has every required section, each anchor right above its heading', () => {
    const ids = sections(markdown).map((s) => s.id);
    expect(REQUIRED_SECTIONS.filter((id) => !ids.includes(id)), 'missing sections').toEqual([]);
    const anchors = [...prose(markdown).matchAll(/<a id="([\w-]+)"><\/a>/g)].map((m) => m[1]);
    expect(anchors, 'every anchor must stand on the line before a heading').toEqual(ids);
  });

  it('links only to anchors that exist', () => {
    const ids = new Set(sections(markdown).map((s) => s.id));
    const links = [...markdown.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((id) => !ids.has(id)), 'links to missing anchors').toEqual([]);
  });

  it('gives every required command', () => {
    expect(REQUIRED_COMMANDS.filter((command) => !markdown.includes(command))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const scripts = new Set(scriptsOf());
    const named = [...markdown.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named.filter((s) => !scripts.has(s)))]).toEqual([]);
  });

  it('names only emulator flags that `npm start` accepts', () => {
    const cli = readFileSync(join(ROOT, 'src/emulator/cli.ts'), 'utf8');
    const usage = /const USAGE = `([\s\S]*?)`;/.exec(cli)?.[1];
    expect(usage, 'src/emulator/cli.ts has no USAGE text').toBeDefined();
    const section = markdown.slice(markdown.indexOf('<a id="emulator">'), markdown.indexOf('<a id="mocks">'));
    const flags = [...section.matchAll(/(?<![\w-])--([a-z][\w-]*)/g)].map((m) => `--${m[1]}`);
    expect(flags.length).toBeGreaterThan(0);
    expect([...new Set(flags.filter((f) => !usage!.includes(f)))]).toEqual([]);
  });

  it('names only client methods and options that exist', () => {
    const client = createReferralsClient({ getToken: () => 't' }) as unknown as Record<string, unknown>;
    const methodLine = prose(markdown).split('\n').find((l) => l.includes('`getAllReferrals`'));
    expect(methodLine, 'the README lists the client methods').toBeDefined();
    const methods = [...methodLine!.matchAll(/`(\w+)`/g)].map((m) => m[1]!).filter((w) => /^[a-z]\w*(Referral|Referrals|ReferralId)\w*$/.test(w));
    expect(methods.length).toBeGreaterThan(4);
    expect(methods.filter((m) => typeof client[m] !== 'function')).toEqual([]);

    const transport = readFileSync(join(ROOT, 'src/client/transport.ts'), 'utf8');
    const optionsBlock = /export interface ReferralsClientOptions \{([\s\S]*?)\n\}/.exec(transport)?.[1] ?? '';
    const known = new Set([...optionsBlock.matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]!));
    const optionLine = prose(markdown).split('\n').find((l) => l.includes('`baseUrl`') && l.includes('`timeoutMs`'));
    expect(optionLine, 'the README lists the client options').toBeDefined();
    const options = [...optionLine!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    expect(options.filter((o) => !known.has(o))).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const paths = [...markdown.matchAll(/`((?:openapi|src|scripts|examples|test|generated|bench|\.ci|assets)\/[\w./-]*|apiProperties\.json|\.spectral\.yaml|package\.json)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(5);
    expect([...new Set(paths.filter((p) => !existsSync(join(ROOT, p))))]).toEqual([]);
  });

  // dist/ exists after `npm run build` (always in CI); the READMEs must name what the build wrote.
  it.runIf(existsSync(join(ROOT, 'dist/connector')))('names only build outputs that `npm run build` wrote', () => {
    const paths = [...markdown.matchAll(/`(dist\/[\w./-]*)`/g)].map((m) => m[1]!).filter((p) => !p.includes('screenshot'));
    expect(paths.length).toBeGreaterThan(3);
    expect([...new Set(paths.filter((p) => !existsSync(join(ROOT, p))))]).toEqual([]);
  });
});

describe('README.md and README.ja.md', () => {
  it('have the same sections at the same levels, in the same order', () => {
    expect(sections(text[JA])).toEqual(sections(text[EN]));
  });

  it('give the same shell commands in the same order', () => {
    expect(shellLines(text[JA])).toEqual(shellLines(text[EN]));
  });

  it('name the same npm scripts', () => {
    const named = (md: string) => [...new Set([...md.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]))].sort();
    expect(named(text[JA])).toEqual(named(text[EN]));
  });

  it('the Japanese one is written in Japanese in every section', () => {
    const parts = prose(text[JA]).split(/^<a id="[\w-]+"><\/a>\n/m).slice(1);
    const untranslated = parts.filter((p) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(p)).map((p) => p.split('\n')[0]);
    expect(untranslated).toEqual([]);
  });
});

describe('the samples', () => {
  let server: EmulatorServer;
  let emulator: ReferralsEmulator;

  beforeAll(async () => {
    emulator = new ReferralsEmulator({ seed: 7, count: 40, rateLimit: false });
    server = await startEmulatorServer({ emulator, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('type-check (tsc -p examples/tsconfig.json)', async () => {
    await run(process.execPath, [TSC, '-p', EXAMPLES_TSCONFIG], { cwd: ROOT }).catch((err: { stdout: string }) => {
      throw new Error(`tsc failed on the README samples:\n${err.stdout}`);
    });
  });

  it('are checked against live types: a server-owned field in a ReferralInput does not compile', async () => {
    // Guards the check above: were the package types `any`, the samples would always compile.
    const dir = mkdtempSync(join(tmpdir(), 'readme-types-'));
    try {
      writeFileSync(
        join(dir, 'bad.ts'),
        "import type { ReferralInput } from 'partner-center-referrals';\nexport const r: ReferralInput = { id: 'x', type: 'Shared', customerProfile: { name: 'c' }, consent: {}, details: {} };\n",
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: join(ROOT, EXAMPLES_TSCONFIG), compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')] }, include: ['bad.ts'] }),
      );
      const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir }).then(
        () => '',
        (err: { stdout: string }) => err.stdout,
      );
      expect(result).toMatch(/bad\.ts\(2,\d+\): error TS2322/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quickstart runs against the emulator: lists, creates, accepts and reports a 404', async () => {
    const before = emulator.store.list().length;
    const { stdout } = await run(process.execPath, [TSX, '--tsconfig', EXAMPLES_TSCONFIG, 'examples/quickstart.ts'], {
      cwd: ROOT,
      env: { ...process.env, REFERRALS_API_URL: server.apiUrl },
    });
    const lines = stdout.trim().split('\n');
    const listed = lines.filter((l) => / New /.test(l) && !l.startsWith('created'));
    expect(listed).toHaveLength(5);
    const created = /^created (\S+) New Pending "/m.exec(stdout);
    expect(created, stdout).not.toBeNull();
    expect(stdout).toMatch(/^accepted Active Accepted "/m);
    expect(stdout).toMatch(/^not found 404 NotFound [0-9a-f-]{36}$/m);
    expect(emulator.store.list()).toHaveLength(before + 1);
    expect(emulator.store.get(created![1]!)).toMatchObject({ status: 'Active', substatus: 'Accepted', externalReferenceId: 'CRM-OPP-004211' });
  });

  it('crm-sync watches with a checkpoint, writes back with If-Match, and on the next run gets only its own write back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-crm-'));
    try {
      const env = { ...process.env, REFERRALS_API_URL: server.apiUrl, CHECKPOINT_FILE: join(dir, 'checkpoint.json') };
      const runSample = () => run(process.execPath, [TSX, '--tsconfig', EXAMPLES_TSCONFIG, 'examples/crm-sync.ts'], { cwd: ROOT, env });
      const newOnes = emulator.store.list().filter((r) => r.status === 'New');
      const first = (await runSample()).stdout;
      const applied = [...first.matchAll(/^applied (\d+) changes up to \S+$/gm)].reduce((n, m) => n + Number(m[1]), 0);
      expect(applied).toBe(newOnes.length);
      const updated = /^updated (\S+)$/m.exec(first);
      expect(updated, first).not.toBeNull();
      expect(emulator.store.get(updated![1]!)!.details).toMatchObject({ notes: 'Called the customer' });
      // The checkpoint holds: only the sample's own write comes back as a change.
      expect((await runSample()).stdout).toMatch(/^applied 1 changes up to \S+\nupdated \S+\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Type-checked with the generated client by test/generator/typescript-fetch.test.ts.
  it('typescript-fetch runs against the emulator: a page, a patch with If-Match, then a 412 read from the Error body', async () => {
    const { stdout } = await run(process.execPath, [TSX, 'examples/typescript-fetch.ts'], {
      cwd: ROOT,
      env: { ...process.env, REFERRALS_API_URL: server.apiUrl },
    });
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => /^[0-9a-f-]{36} \w+ \d{4}-\d{2}-\d{2}T/.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toBe('failed 412 PreconditionFailed');
  });

  it('mocks passes its node:test tests', async () => {
    const { stdout } = await run(process.execPath, [TSX, '--tsconfig', EXAMPLES_TSCONFIG, 'examples/mocks.ts'], { cwd: ROOT }).catch(
      (err: { stdout: string; stderr: string }) => {
        throw new Error(`examples/mocks.ts failed:\n${err.stdout}\n${err.stderr}`);
      },
    );
    expect(stdout).toMatch(/^# pass 2$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
  });
});
