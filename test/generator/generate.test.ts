// generated/typescript-fetch/ is OpenAPI Generator output, drift-checked like the rest of
// generated/; and every generator step says what is missing when Java is not installed.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATE_INPUTS, GENERATOR_RUNS_TIMEOUT, ROOT, runScript, tempCopy } from '../build/helpers.js';
import { pathWithoutTools } from './helpers.js';

describe('generate.mjs: generated/typescript-fetch/', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempCopy(GENERATE_INPUTS)));
  afterAll(() => cleanup());

  it('is stale after a spec edit, names the client file, and is rewritten by generate', () => {
    const specFile = join(dir, 'openapi/referrals.yaml');
    const text = readFileSync(specFile, 'utf8');
    const edited = text.replace(/^(\s*summary:\s*)Get a referral by ID\s*$/m, '$1Read one referral');
    expect(edited).not.toBe(text);
    writeFileSync(specFile, edited);

    const stale = runScript('generate.mjs', ['--check', '--root', dir]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/generated\/typescript-fetch\/apis\/ReferralsApi\.ts: stale at line \d+\n\s+committed: .*Get a referral by ID\n\s+expected: .*Read one referral/);

    const gen = runScript('generate.mjs', ['--root', dir]);
    expect(gen.status).toBe(0);
    expect(gen.stdout).toMatch(/wrote\s+generated\/typescript-fetch\/apis\/ReferralsApi\.ts/);
    expect(gen.stdout).toMatch(/wrote\s+generated\/typescript-fetch\/ \(\d+ files, [1-9]\d* rewritten\)/);
    expect(readFileSync(join(dir, 'generated/typescript-fetch/apis/ReferralsApi.ts'), 'utf8')).toContain('Read one referral');
    expect(runScript('generate.mjs', ['--check', '--root', dir]).status).toBe(0);
  }, GENERATOR_RUNS_TIMEOUT); // three runs of OpenAPI Generator

  it('reports a stray file and a missing one inside the client, and generate puts both right', () => {
    const stray = join(dir, 'generated/typescript-fetch/models/Leftover.ts');
    const model = join(dir, 'generated/typescript-fetch/models/ReferralList.ts');
    writeFileSync(stray, 'export {};\n');
    rmSync(model);
    const r = runScript('generate.mjs', ['--check', '--root', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('generated/typescript-fetch/models/Leftover.ts: not produced by generate.mjs');
    expect(r.stderr).toContain('generated/typescript-fetch/models/ReferralList.ts: missing');

    const gen = runScript('generate.mjs', ['--root', dir]);
    expect(gen.stdout).toContain('removed   generated/typescript-fetch/models/Leftover.ts');
    expect(readFileSync(model, 'utf8')).toContain('export interface ReferralList');
    expect(runScript('generate.mjs', ['--check', '--root', dir]).status).toBe(0);
  }, GENERATOR_RUNS_TIMEOUT); // three runs of OpenAPI Generator

  it('matches the committed client byte for byte (same generator, same options)', () => {
    const r = runScript('generate.mjs', ['--check']);
    expect(r.stdout).toMatch(/generated\/ is up to date \(\d+ files\)/);
    expect(r.status).toBe(0);
    expect(readFileSync(join(ROOT, 'generated/typescript-fetch/.openapi-generator/VERSION'), 'utf8').trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'openapitools.json'), 'utf8'))['generator-cli'].version,
    );
  });
});

describe('without Java', () => {
  let tools: ReturnType<typeof pathWithoutTools>;
  beforeAll(() => (tools = pathWithoutTools()));
  afterAll(() => tools.cleanup());
  const JAVA_MESSAGE = /Java 11 or newer is needed .*`java` is not on PATH\.\nInstall: sudo apt-get install -y openjdk-17-jre-headless/;

  it('outside CI, generate --check skips only the client, saying what is missing and how to install it', () => {
    const r = runScript('generate.mjs', ['--check'], { PATH: tools.path, CI: '' });
    expect(r.stderr).toMatch(/generate \(typescript-fetch\): skipped: /);
    expect(r.stderr).toMatch(JAVA_MESSAGE);
    expect(r.stdout).toContain('up to date');
    expect(r.status).toBe(0);
  });

  it('outside CI, lint says it skipped the generator check and its summary names only the checks that ran', () => {
    const r = runScript('lint.mjs', [], { PATH: tools.path, CI: '' });
    expect(r.stderr).toMatch(/lint \(openapi-generator validate\): skipped: /);
    expect(r.stderr).toMatch(JAVA_MESSAGE);
    expect(r.stdout).toMatch(/passes Spectral \.spectral\.yaml \+ Redocly redocly\.yaml with no errors or warnings/);
    expect(r.stdout).not.toContain('openapi-generator');
    expect(r.status).toBe(0);
  });

  it('under CI, each generator step fails with the same message', () => {
    for (const [script, args] of [['generate.mjs', ['--check']], ['fetch-generator.mjs', []], ['lint.mjs', []]] as const) {
      const r = runScript(script, [...args], { PATH: tools.path, CI: 'true' });
      expect(r.status, script).toBe(1);
      expect(r.stderr, script).toMatch(JAVA_MESSAGE);
    }
  });
});
