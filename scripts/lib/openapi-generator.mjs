// OpenAPI Generator (a Java JAR) for the build scripts: the pinned version from openapitools.json,
// fetched once through Maven into a git-ignored cache, and run through the pinned npm wrapper
// (@openapitools/openapi-generator-cli), which finds the JAR at <storageDir>/<version>.jar and so
// never downloads on its own. Also the checks for the runtimes it needs (Java, Maven).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QUIET_ENV, REPO_ROOT, UserError, packageBin, parseJsonFile, readText, tempSibling } from './util.mjs';

const CONFIG_FILE = 'openapitools.json';
const MAVEN_ARTIFACT = 'org.openapitools:openapi-generator-cli';
// Pinned so a fresh ~/.m2 resolves the same plugin (Maven 3.8's default is 2.8, from 2013).
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const MIN_JAVA = 11; // OpenAPI Generator 7.x needs Java 11+.

/** The tool install belongs to the checkout (REPO_ROOT), whatever spec root a script works on. */
export function generatorConfig() {
  const file = join(REPO_ROOT, CONFIG_FILE);
  const config = parseJsonFile(readText(file, CONFIG_FILE), CONFIG_FILE)['generator-cli'];
  if (typeof config?.version !== 'string' || typeof config?.storageDir !== 'string') {
    throw new UserError(`${CONFIG_FILE}: "generator-cli" needs "version" and "storageDir".\nFix: restore ${CONFIG_FILE} from git.`);
  }
  // The wrapper resolves storageDir against its working directory, which is always REPO_ROOT here.
  const storageDir = resolve(REPO_ROOT, config.storageDir);
  return { version: config.version, storageDir, jar: join(storageDir, `${config.version}.jar`) };
}

/**
 * A runtime the generator steps need is missing. Outside CI a build step prints the message and
 * skips its generator part; under CI (env CI set) the same message is a failure.
 */
export class MissingToolError extends UserError {}

const underCi = () => Boolean(process.env.CI) && process.env.CI !== 'false';

function versionOf(command, args, pattern) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) return undefined;
  const m = pattern.exec(`${r.stdout}\n${r.stderr}`);
  return m ? m.slice(1).map(Number) : [0];
}

export function requireJava(purpose) {
  const v = versionOf('java', ['-version'], /version "(?:1\.)?(\d+)/);
  const install = 'Install: sudo apt-get install -y openjdk-17-jre-headless (or any Java 11+ JDK), then rerun.';
  if (!v) throw new MissingToolError(`Java ${MIN_JAVA} or newer is needed ${purpose}, and \`java\` is not on PATH.\n${install}`);
  if (v[0] < MIN_JAVA) throw new MissingToolError(`Java ${MIN_JAVA} or newer is needed ${purpose}; \`java\` is version ${v[0]}.\n${install}`);
}

function requireMaven(version) {
  const v = versionOf('mvn', ['-v'], /Apache Maven (\d+)\.(\d+)/);
  const install = 'Install: sudo apt-get install -y maven (Maven 3.6.3+ reaching Maven Central), then rerun.';
  if (!v) throw new MissingToolError(`Maven 3.6.3 or newer is needed to fetch OpenAPI Generator ${version} from Maven Central, and \`mvn\` is not on PATH.\n${install}`);
  if (v[0] < 3 || (v[0] === 3 && v[1] < 6)) throw new MissingToolError(`Maven 3.6.3 or newer is needed to fetch OpenAPI Generator ${version}; \`mvn\` is ${v.join('.')}.\n${install}`);
}

/**
 * Makes sure the pinned JAR is in the cache: `mvn dependency:copy` into a temp folder next to it,
 * then a rename, so an interrupted download never leaves a half JAR where the wrapper looks.
 * Returns { jar, fetched, ms }.
 */
export function ensureGeneratorJar() {
  const { version, storageDir, jar } = generatorConfig();
  if (existsSync(jar)) return { jar, version, fetched: false, ms: 0 };
  requireMaven(version);
  mkdirSync(storageDir, { recursive: true });
  const tmp = tempSibling(join(storageDir, 'fetch'));
  const t0 = performance.now();
  try {
    // -C: fail on a checksum mismatch instead of Maven's default warning.
    const r = spawnSync('mvn', ['-B', '-q', '-C', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${MAVEN_ARTIFACT}:${version}:jar`, `-DoutputDirectory=${tmp}`], {
      cwd: storageDir,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const got = existsSync(tmp) ? readdirSync(tmp).filter((f) => f.endsWith('.jar')) : [];
    if (r.error || r.status !== 0 || got.length !== 1) {
      const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new UserError(`mvn could not fetch ${MAVEN_ARTIFACT}:${version} (exit ${r.status ?? r.error?.message}):\n${out}\nFix: check that Maven reaches Maven Central (proxy settings in ~/.m2/settings.xml), then rerun.`);
    }
    renameSync(join(tmp, got[0]), jar);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { jar, version, fetched: true, ms: performance.now() - t0 };
}

/**
 * Runs `openapi-generator-cli <args>` through the npm wrapper, fetching the pinned JAR first if
 * the cache lacks it. Returns { status, stdout, stderr, version }.
 */
export function runGenerator(args, { purpose = 'to run OpenAPI Generator' } = {}) {
  requireJava(purpose);
  const { version } = ensureGeneratorJar();
  const r = spawnSync(process.execPath, [packageBin('@openapitools/openapi-generator-cli', 'openapi-generator-cli'), '--openapitools', join(REPO_ROOT, CONFIG_FILE), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: QUIET_ENV,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, version };
}

/**
 * For build steps: runs `fn`, and when a runtime is missing outside CI prints the message with
 * "skipped" and returns undefined; under CI the MissingToolError propagates as a failure.
 */
export function orSkipOutsideCi(step, fn) {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof MissingToolError) || underCi()) throw err;
    process.stderr.write(`${step}: skipped: ${err.message}\n(Under CI, with env CI set, this is a failure.)\n`);
    return undefined;
  }
}
