// The package as a consumer gets it: compile, `npm pack`, install the tarball into a fresh ESM
// project without network, type-check a small program with the repo's tsc and run it against
// the emulator, both over real HTTP and through the `./mocks` MSW handlers.
//
// "Without network": the consumer gets a lock file cut from the repo's (consumer-lock.ts), and
// `npm ci` runs with --offline and a dead proxy, so every tarball comes by its locked integrity
// hash from the cache that the repo's own `npm ci` filled; no registry metadata is needed, which
// `npm ci` never caches. A package missing from the cache fails the install instead of being
// downloaded.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { consumerManifest } from './consumer-lock.js';

const run = promisify(execFile);
const REPO = new URL('../..', import.meta.url).pathname;
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string };
const OFFLINE = ['--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--proxy', 'http://127.0.0.1:9', '--https-proxy', 'http://127.0.0.1:9'];

const PROGRAM = `
import { createReferralsClient, ReferralsApiError, type Referral, type ReferralList } from 'partner-center-referrals';
import { ReferralsEmulator, createReferralsHandlers } from 'partner-center-referrals/mocks';
import { setupServer } from 'msw/node';

// Never called: proves the consumer sees real types (an \`any\` would make the directive unused).
export function typesAreLive(client: ReturnType<typeof createReferralsClient>): void {
  // @ts-expect-error top is a number
  void client.getAllReferrals({ top: 'ten' });
  // @ts-expect-error id is server-owned
  void client.createReferral({ id: 'x', type: 'Shared', customerProfile: { name: 'c' }, consent: {}, details: {} });
}

// 1. Over HTTP, against the emulator server the test started.
const client = createReferralsClient({ baseUrl: process.env.EMULATOR_API_URL, getToken: () => 'package-test-token' });
const ids: string[] = [];
const statuses = new Set<Referral['status']>();
for await (const r of client.listReferrals({ filter: "status eq 'New'" })) {
  ids.push(r.id!);
  statuses.add(r.status);
}
let pages = 0;
for await (const page of client.listReferrals({ filter: "status eq 'New'" }).byPage()) pages += (page satisfies ReferralList) ? 1 : 0;
let notFound = '';
try {
  await client.getReferralById('no-such-referral');
} catch (err) {
  if (err instanceof ReferralsApiError) notFound = \`\${err.status} \${err.code}\`;
}

// 2. In process, through the ./mocks subpath and MSW.
const emulator = new ReferralsEmulator({ count: 30, maxPageSize: 4, rateLimit: false });
const server = setupServer(...createReferralsHandlers({ emulator }));
server.listen({ onUnhandledRequest: 'error' });
const mocked = createReferralsClient({ getToken: () => 'mock-token' });
let mockedCount = 0;
for await (const _ of mocked.listReferrals()) mockedCount++;
server.close();

console.log(JSON.stringify({ ids, statuses: [...statuses], pages, notFound, mockedCount, mockedRequests: emulator.requests.length }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    types: ['node'],
    outDir: 'out',
    // Check our published .d.ts files too, not only the program.
    skipLibCheck: false,
  },
  include: ['main.ts'],
};

describe('npm package', () => {
  let tmp: string;
  let server: EmulatorServer;
  let emulator: ReferralsEmulator;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pcr-pack-'));
    emulator = new ReferralsEmulator({ seed: 11, count: 95, maxPageSize: 10, rateLimit: false });
    server = await startEmulatorServer({ emulator, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs from the packed tarball, type-checks and lists every page from the emulator', async () => {
    await run('npm', ['run', 'compile'], { cwd: REPO });
    const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: REPO });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = info!.files.map((f) => f.path);
    expect(shipped).toContain('dist/lib/src/index.js');
    expect(shipped).toContain('dist/lib/src/index.d.ts');
    expect(shipped).toContain('dist/lib/src/emulator/msw.d.ts');
    expect(shipped.some((p) => p.startsWith('test/') || p.startsWith('src/'))).toBe(false);

    const project = join(tmp, 'consumer');
    mkdirSync(project);
    copyFileSync(join(tmp, info!.filename), join(project, info!.filename));
    const manifest = consumerManifest(REPO, join(project, info!.filename), info!.filename, ['msw', '@types/node']);
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest.packageJson, null, 2));
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(manifest.packageLock, null, 2));
    await run('npm', ['ci', ...OFFLINE], { cwd: project }).catch((err: { stderr: string }) => {
      throw new Error(`npm ci of the consumer project failed (is the repo's npm ci done with this npm cache?):\n${err.stderr}`);
    });
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> };
    expect(Object.keys(installed.exports)).toEqual(expect.arrayContaining(['.', './mocks']));
    expect(installed.exports['.']!.types).toMatch(/\.d\.ts$/);
    expect(installed.exports['./mocks']!.types).toMatch(/\.d\.ts$/);

    writeFileSync(join(project, 'main.ts'), PROGRAM);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }).catch((err: { stdout: string }) => {
      throw new Error(`tsc failed on the consumer program:\n${err.stdout}`);
    });

    const { stdout } = await run(process.execPath, [join(project, 'out', 'main.js')], { cwd: project, env: { ...process.env, EMULATOR_API_URL: server.apiUrl } });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { ids: string[]; statuses: string[]; pages: number; notFound: string; mockedCount: number; mockedRequests: number };

    const expected = emulator.store.list().filter((r) => r.status === 'New').map((r) => r.id);
    expect(expected.length).toBeGreaterThan(10);
    expect(result.ids.sort()).toEqual(expected.sort());
    expect(result.statuses).toEqual(['New']);
    expect(result.pages).toBe(Math.ceil(expected.length / 10));
    expect(result.notFound).toBe('404 NotFound');
    expect(result).toMatchObject({ mockedCount: 30, mockedRequests: 8 });
  }, 600_000);
});
