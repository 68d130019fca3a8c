// `npm run generate:sdk -- python`, end to end: generate the package into a temp folder, install
// it (and pytest) into a virtual environment from PyPI, then run test/generator/python/test_smoke.py
// against the emulator served over HTTP on a loopback port chosen by the OS.
// Without Python (or Java) the suite is skipped with the reason, except under CI, where it fails
// (../prerequisites.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATOR_RUNS_TIMEOUT, ROOT } from '../build/helpers.js';
import { prerequisites } from '../prerequisites.js';
import { emulatorOverHttp, missingJava, missingPython, runAsync } from './helpers.js';

const PYTEST = 'pytest==8.3.4';
const PACKAGE = 'pc_referrals';

/** Why this machine cannot run the check, or undefined. */
function missingRuntime(): string | undefined {
  const python = missingPython("the generated Python client's check");
  if (python) return python;
  return missingJava();
}

const ready = prerequisites('the Python client check (generate:sdk python)', [missingRuntime() ?? false]);

describe.skipIf(!ready)('generate:sdk python, against the emulator over HTTP', () => {
  const http = emulatorOverHttp('pcr-python-sdk-', 21);

  it('generates, installs from PyPI, and passes the pytest smoke test (two pages, get, create, patch with If-Match, 412 as an exception, deal registration)', async () => {
    const sdk = join(http.dir, 'sdk');
    const gen = await runAsync(process.execPath, [join(ROOT, 'scripts/generate-sdk.mjs'), 'python', sdk, `--additional-properties=packageName=${PACKAGE},projectName=pc-referrals`], { cwd: ROOT, timeout: GENERATOR_RUNS_TIMEOUT });
    expect(gen.output).toContain(`python client of openapi/referrals.yaml written to ${sdk}`);
    expect(gen.output).toContain(`Next: python3 -m venv .venv && .venv/bin/pip install "${sdk}"`);
    expect(gen.status).toBe(0);

    const venv = join(http.dir, 'venv');
    const made = await runAsync('python3', ['-m', 'venv', venv], { timeout: 120_000 });
    expect(made.status, made.output).toBe(0);
    const pip = await runAsync(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', sdk, PYTEST], { timeout: 420_000 });
    expect(pip.status, pip.output).toBe(0);

    const pytest = await runAsync(join(venv, 'bin', 'python'), ['-m', 'pytest', '-v', '-p', 'no:cacheprovider', join(ROOT, 'test/generator/python/test_smoke.py')], {
      cwd: http.dir,
      env: { ...process.env, PCR_API_URL: http.apiUrl },
      timeout: 120_000,
    });
    expect(pytest.output).toMatch(/test_lists_two_pages_following_the_next_link PASSED/);
    expect(pytest.output).toMatch(/test_creates_gets_and_patches_with_if_match PASSED/);
    expect(pytest.output).toMatch(/test_a_stale_if_match_is_an_exception_carrying_the_error_body PASSED/);
    expect(pytest.output).toMatch(/test_registers_and_updates_a_deal_with_patch_referral_by_id PASSED/);
    expect(pytest.output).toMatch(/4 passed/);
    expect(pytest.status, pytest.output).toBe(0);

    // The calls really reached the emulator, and each answer matched the spec (newEmulator checks).
    const seen = http.emulator.requests.map((r) => `${r.method} ${r.status}`);
    expect(seen).toEqual(expect.arrayContaining(['GET 200', 'POST 201', 'PATCH 200', 'PATCH 412']));
    expect(http.emulator.requests.filter((r) => r.path.includes('%24skiptoken=') || r.path.includes('$skiptoken='))).toHaveLength(1);
  }, 600_000);
});
