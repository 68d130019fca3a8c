// A lock file for the pack test's consumer project, cut from the repo's own package-lock.json.
//
// Why: `npm install msw@2.15.0 --offline` needs the registry's metadata for every package it
// resolves, and `npm ci` caches tarballs only, so that install passed only on machines where
// someone once ran `npm install` by hand. With a lock, `npm ci` resolves nothing: it fetches each
// tarball by the integrity hash the repo already pinned, which `npm ci` of this repo put in the
// cache. The consumer therefore gets exactly the versions the repo tested with, offline.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Node's lookup: from `node_modules/a/node_modules/b`, a dependency `c` is searched nested first, then upwards. */
function resolveKey(packages: Lock['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** Every lock entry reachable from `roots` (package names at the top level), keyed as in the repo's tree. */
function closure(lock: Lock, roots: string[]): Map<string, LockEntry> {
  const out = new Map<string, LockEntry>();
  const queue: [string, string][] = roots.map((name) => ['', name]);
  while (queue.length > 0) {
    const [from, name] = queue.shift()!;
    const key = resolveKey(lock.packages, from, name);
    if (!key) throw new Error(`package-lock.json has no entry for ${name} (needed from ${from || 'the root'}): run npm install and commit the lock file`);
    if (out.has(key)) continue;
    const entry = lock.packages[key]!;
    if (entry.link) throw new Error(`package-lock.json: ${key} is a link; the consumer project needs registry packages`);
    out.set(key, entry);
    // Optional and peer dependencies are installed when the repo's tree has them, as npm would.
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}),
    ];
    for (const dep of names) {
      const optional = dep in (entry.optionalDependencies ?? {}) || entry.peerDependenciesMeta?.[dep]?.optional;
      if (optional && !resolveKey(lock.packages, key, dep)) continue;
      queue.push([key, dep]);
    }
  }
  return out;
}

export interface ConsumerManifest {
  packageJson: Record<string, unknown>;
  packageLock: Record<string, unknown>;
}

/**
 * package.json and package-lock.json for a consumer that depends on the packed tarball (`tarballName`,
 * sitting in the consumer folder) and on `extra` packages at the repo's locked versions.
 */
export function consumerManifest(repo: string, tarball: string, tarballName: string, extra: string[]): ConsumerManifest {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lock;
  const own = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; version: string; license?: string; dependencies?: Record<string, string> };
  const runtime = Object.keys(own.dependencies ?? {});
  const deps = closure(lock, [...runtime, ...extra]);

  const direct: Record<string, string> = { [own.name]: `file:${tarballName}` };
  for (const name of extra) direct[name] = lock.packages[`node_modules/${name}`]!.version!;

  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', dependencies: direct },
    [`node_modules/${own.name}`]: {
      version: own.version,
      resolved: `file:${tarballName}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: own.license,
      dependencies: own.dependencies,
    },
  };
  for (const [key, entry] of deps) {
    // The repo installs these as dev dependencies; for the consumer they are production ones.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry;
    packages[key] = rest;
  }
  return {
    packageJson: { name: 'consumer', private: true, type: 'module', dependencies: direct },
    packageLock: { name: 'consumer', lockfileVersion: 3, requires: true, packages },
  };
}
