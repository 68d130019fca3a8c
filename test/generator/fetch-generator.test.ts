// scripts/fetch-generator.mjs on a copy of the checkout without the JAR cache: Maven puts the
// pinned JAR where the wrapper looks (<storageDir>/<version>.jar), leaving no partial file, and a
// second run finds it. Maven resolves it from ~/.m2, which the real build's first step filled.
import { existsSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, readJson, tempCopy } from '../build/helpers.js';
import { pathWithoutTools } from './helpers.js';

describe('fetch-generator.mjs', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempCopy(['scripts', 'openapitools.json', 'package.json']));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => cleanup());

  const fetch = (env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [join(dir, 'scripts/fetch-generator.mjs')], { cwd: dir, encoding: 'utf8', env });

  it('without Maven says so and how to install it: a skip outside CI, a failure under CI', () => {
    const tools = pathWithoutTools();
    try {
      const message = /Maven 3\.6\.3 or newer is needed to fetch OpenAPI Generator [\d.]+ from Maven Central, and `mvn` is not on PATH\.\nInstall: sudo apt-get install -y maven/;
      const local = fetch({ ...process.env, PATH: tools.path, CI: '' });
      expect(local.stderr).toMatch(/^fetch-generator: skipped: /);
      expect(local.stderr).toMatch(message);
      expect(local.status).toBe(0);
      const ci = fetch({ ...process.env, PATH: tools.path, CI: 'true' });
      expect(ci.stderr).toMatch(message);
      expect(ci.status).toBe(1);
      expect(existsSync(join(dir, '.cache'))).toBe(false);
    } finally {
      tools.cleanup();
    }
  });

  it('fetches the pinned JAR into the storageDir of openapitools.json, then reuses it', () => {
    const { version, storageDir } = readJson(join(ROOT, 'openapitools.json'))['generator-cli'];
    const cache = join(dir, storageDir);
    expect(existsSync(cache)).toBe(false);

    const first = fetch();
    expect(first.stdout).toMatch(new RegExp(`fetch-generator: OpenAPI Generator ${version} fetched through Maven in [\\d.]+ s \\(\\.cache/openapi-generator/${version}\\.jar\\)`));
    expect(first.status).toBe(0);
    expect(readdirSync(cache)).toEqual([`${version}.jar`]);
    expect(statSync(join(cache, `${version}.jar`)).size).toBeGreaterThan(10_000_000);

    const second = fetch();
    expect(second.stdout).toContain(`OpenAPI Generator ${version} already cached`);
    expect(second.status).toBe(0);
  });
});
