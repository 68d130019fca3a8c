// scripts/generate-sdk.mjs: bad input is refused with the problem named, before anything is written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_RUNS_TIMEOUT, ROOT, runScript } from '../build/helpers.js';
import { pathWithoutTools } from './helpers.js';

describe('generate-sdk.mjs', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pcr-sdk-args-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without arguments prints the usage', () => {
    const r = runScript('generate-sdk.mjs');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('generate:sdk: error: no generator given.');
    expect(r.stderr).toContain('Usage: npm run generate:sdk -- <generator> <outdir>');
  });

  it('needs an output folder, and refuses options it sets itself', () => {
    expect(runScript('generate-sdk.mjs', ['python']).stderr).toContain('no output folder given for generator python');
    const r = runScript('generate-sdk.mjs', ['python', join(dir, 'a'), '-i', 'other.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('option -i is set by generate:sdk');
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('never writes into a non-empty folder it did not make, nor into generated/', () => {
    const mine = join(dir, 'handwritten');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.md'), 'mine\n');
    const r = runScript('generate-sdk.mjs', ['python', mine]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${mine}: the folder is not empty and was not made by generate:sdk`);
    expect(readdirSync(mine)).toEqual(['notes.md']);

    for (const own of ['generated/python', 'src/python', '.']) {
      const refused = runScript('generate-sdk.mjs', ['python', own]);
      expect(refused.status, own).toBe(1);
      expect(refused.stderr, own).toContain('generated/, src/ and the checkout root belong to the project');
    }
    expect(existsSync(join(ROOT, 'src/python'))).toBe(false);
  });

  it('regenerates into a folder an earlier run made (it carries .openapi-generator/FILES)', () => {
    const out = join(dir, 'ts-client');
    for (const run of ['first', 'again']) {
      const r = runScript('generate-sdk.mjs', ['typescript-fetch', out]);
      expect(r.status, `${run}: ${r.output}`).toBe(0);
    }
    expect(existsSync(join(out, '.openapi-generator', 'FILES'))).toBe(true);
    expect(existsSync(join(out, 'apis', 'ReferralsApi.ts'))).toBe(true);
  }, GENERATOR_RUNS_TIMEOUT); // two runs of OpenAPI Generator

  it('names an unknown generator and where to find the list', () => {
    const r = runScript('generate-sdk.mjs', ['no-such-language', join(dir, 'x')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has no generator named "no-such-language"');
    expect(r.stderr).toContain('npx openapi-generator-cli list');
  });

  it('without Java says which version is needed and how to install it, in or outside CI', () => {
    const tools = pathWithoutTools();
    try {
      for (const CI of ['', 'true']) {
        const r = runScript('generate-sdk.mjs', ['python', join(dir, 'nojava')], { PATH: tools.path, CI });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/Java 11 or newer is needed to generate the python client, and `java` is not on PATH\.\nInstall: sudo apt-get install -y openjdk-17-jre-headless/);
      }
    } finally {
      tools.cleanup();
    }
  });
});
