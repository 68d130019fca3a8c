// `npm run generate:sdk -- go`, end to end as a new user would: generate the module into a temp
// folder, take the next step generate:sdk prints (go mod tidy: the generated go.mod has no go.sum,
// so a bare go build fails), build it, then build and run test/generator/go/main.go against it
// (list, get, create, deal registration with PATCH) on the emulator served over HTTP on a loopback
// port chosen by the OS. Needs Go and the Go module proxy, and Java for OpenAPI Generator; without
// them the suite is skipped with the reason, except under CI, where it fails (../prerequisites.ts).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATOR_RUNS_TIMEOUT, ROOT } from '../build/helpers.js';
import { prerequisites } from '../prerequisites.js';
import { emulatorOverHttp, missingJava, runAsync } from './helpers.js';

/** The module path the client is generated under; test/generator/go/main.go imports it. */
const MODULE = 'example.com/pcreferrals';

function missingRuntime(): string | undefined {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return 'Go 1.21 or newer is needed for the generated Go client\'s check (go not on PATH). Install: sudo apt-get install -y golang-go';
  return missingJava();
}

const ready = prerequisites('the Go client check (generate:sdk go)', [missingRuntime() ?? false]);

describe.skipIf(!ready)('generate:sdk go, built with the Go toolchain and run against the emulator over HTTP', () => {
  const http = emulatorOverHttp('pcr-go-sdk-', 23);

  it('generates, builds after the printed next step (go mod tidy), and lists, gets and registers a deal', async () => {
    const sdk = join(http.dir, 'sdk');
    const gen = await runAsync(process.execPath, [join(ROOT, 'scripts/generate-sdk.mjs'), 'go', sdk, '--git-host=example.com', '--git-user-id=pcreferrals', '--git-repo-id=', '--additional-properties=packageName=referrals'], { cwd: ROOT, timeout: GENERATOR_RUNS_TIMEOUT });
    expect(gen.status, gen.output).toBe(0);
    expect(gen.output).toContain(`Next: cd "${sdk}" && go mod tidy && go build ./...`);

    const tidy = await runAsync('go', ['mod', 'tidy'], { cwd: sdk, timeout: 300_000 });
    expect(tidy.status, tidy.output).toBe(0);
    const build = await runAsync('go', ['build', './...'], { cwd: sdk, timeout: 300_000 });
    expect(build.status, build.output).toBe(0);

    const app = join(http.dir, 'smoke');
    mkdirSync(app);
    copyFileSync(join(ROOT, 'test/generator/go/main.go'), join(app, 'main.go'));
    writeFileSync(join(app, 'go.mod'), `module smoke\n\ngo 1.21\n\nrequire ${MODULE} v0.0.0\n\nreplace ${MODULE} => ../sdk\n`);
    const appTidy = await runAsync('go', ['mod', 'tidy'], { cwd: app, timeout: 300_000 });
    expect(appTidy.status, appTidy.output).toBe(0);
    const run = await runAsync('go', ['run', '.'], { cwd: app, env: { ...process.env, PCR_API_URL: http.apiUrl }, timeout: 300_000 });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('list: 2 of 6, next link true');
    expect(run.output).toMatch(/get: [0-9a-f-]{36} (New|Active|Closed)/);
    expect(run.output).toMatch(/create: [0-9a-f-]{36} New\/Pending/);
    expect(run.output).toContain('register a deal: 1 registration, ReviewPending');

    // The calls reached the emulator, each answer matched the spec (newEmulator checks), and the
    // deal registration went to PATCH /referrals/{id}, the endpoint Partner Center serves.
    expect(http.emulator.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetAllReferrals 200', 'GetReferralById 200', 'CreateReferral 201', 'PatchReferralById 200']);
  }, 900_000);
});
