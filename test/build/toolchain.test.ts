// The project promises Node >= 20.19 (package.json engines). A dependency bump that quietly
// needs Node 22 or 24 (as @azure/core-auth 1.11 and @stoplight/prism-cli 5.16 do) would install
// with only a warning and break users later, so the lock file is checked here.
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT, readJson } from './helpers.js';

const pkg = readJson(join(ROOT, 'package.json'));
const lock = readJson(join(ROOT, 'package-lock.json'));
const lowest = semver.minVersion(pkg.engines.node)!.version;

describe('toolchain', () => {
  it('every locked package runs on the lowest Node the project supports', () => {
    const incompatible = Object.entries<Record<string, any>>(lock.packages)
      .filter(([name, p]) => name && typeof p.engines?.node === 'string' && !semver.satisfies(lowest, p.engines.node))
      .map(([name, p]) => `${name}@${p.version} needs node ${p.engines.node}`);
    expect(lowest).toBe('20.19.0');
    expect(incompatible).toEqual([]);
  });

  it('direct dependencies are pinned exactly, so the lock file and package.json agree', () => {
    const ranges = { ...pkg.dependencies, ...pkg.devDependencies };
    const loose = Object.entries<string>(ranges).filter(([, v]) => !semver.valid(v)).map(([k, v]) => `${k}: ${v}`);
    expect(loose).toEqual([]);
  });

  it('install-time analytics are switched off', () => {
    expect(pkg.scarfSettings).toEqual({ enabled: false });
  });
});
