// schemathesis (property-based API testing, pinned from PyPI into a temporary virtual environment,
// as the Python client's check installs its packages) against `npm start` on a port the OS picks:
// - the API (generated/referrals.openapi.json, what Partner Center serves) against the emulator;
// - the connector (dist/connector's swagger converted to OpenAPI 3.0) against /connector, where
//   the connector runtime applies the package's policies before the emulator answers.
// Every check and all four phases (examples, coverage, fuzzing, stateful), a fixed seed, 0
// failures. The only exclusions are business rules no schema can express, in schemathesis.toml
// beside this file. A spec change the emulator does not follow fails, naming the operation and
// the check (the last test shows one). Without Python and venv the suite is skipped with the
// reason, except under CI, where it fails (../prerequisites.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../build/helpers.js';
import { missingPython, runAsync } from '../generator/helpers.js';
import { prerequisites } from '../prerequisites.js';

const SCHEMATHESIS = 'schemathesis==4.32.5';
/** Fixed, and printed with every run, so a failure replays with the same cases. */
const SEED = 20517;
const CONFIG = join(ROOT, 'test/schemathesis/schemathesis.toml');
const CONNECTOR_SPEC = join(ROOT, 'dist/connector/apiDefinition.swagger.json');

const ready = prerequisites('the schemathesis check of the emulator and the connector', [missingPython('the schemathesis check') ?? false]);

/**
 * The connector's swagger as the contract of whoever calls /connector: a flow's action. An
 * internal parameter or body property (`x-ms-visibility: internal`) is hidden in the designer
 * and is never the caller's input: the platform sends a parameter's default whatever the caller
 * sends, and fills a body property's default when it is absent (src/connector-runtime/inputs.ts;
 * docs, "OpenAPI extensions", x-ms-visibility; certification rule
 * InternalPropertyWithDefaultOptional, which gives a required internal a default for this very
 * reason). swagger2openapi knows no x-ms-* extension, so without this the converted spec would
 * call a request that leaves them out invalid (the deal-registration action's op and path).
 */
function callerContract(swagger: any): any {
  const doc = structuredClone(swagger);
  const resolve = (node: any): any => (typeof node?.$ref === 'string' ? node.$ref.slice(2).split('/').reduce((o: any, k: string) => o?.[k], doc) : node);
  const internal = (node: any): boolean => resolve(node)?.['x-ms-visibility'] === 'internal';
  for (const item of Object.values<any>(doc.paths)) {
    for (const op of Object.values<any>(item)) if (Array.isArray(op?.parameters)) op.parameters = op.parameters.filter((p: any) => !internal(p));
  }
  const walk = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.required) && node.properties) {
      node.required = node.required.filter((name: string) => !(internal(node.properties[name]) && resolve(node.properties[name]).default !== undefined));
      if (!node.required.length) delete node.required;
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(doc);
  return doc;
}

interface Run {
  status: number;
  output: string;
  /** Test cases schemathesis generated, from its summary. */
  cases: number;
  seconds: number;
}

describe.skipIf(!ready)('schemathesis, every check and phase, against npm start', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let origin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pcr-schemathesis-'));
    const venv = join(dir, 'venv');
    const made = await runAsync('python3', ['-m', 'venv', venv], { timeout: 120_000 });
    expect(made.status, made.output).toBe(0);
    const pip = await runAsync(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', SCHEMATHESIS], { timeout: 420_000 });
    expect(pip.status, pip.output).toBe(0);
    origin = await startServer();
  }, 600_000);

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `npm start` (what it runs: src/emulator/cli.ts) on port 0, throttling off: schemathesis sends thousands of calls. */
  function startServer(): Promise<string> {
    child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/emulator/cli.ts', '--port', '0', '--seed', '5', '--count', '20', '--no-throttle'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    return new Promise<string>((resolve, reject) => {
      // The banner comes within seconds; a server that never prints it fails here, by name.
      timer = setTimeout(() => reject(new Error(`npm start printed no banner within 60 s:\n${out}\n${err}`)), 60_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Connector: not served')) reject(new Error(`npm start did not mount the connector (run npm run build first):\n${out}`));
        const m = /API: +(http:\/\/[^/\s]+)\//.exec(out);
        if (m && out.includes('Press Ctrl-C')) resolve(m[1]!);
      });
      child!.on('exit', () => reject(new Error(`npm start exited:\n${out}\n${err}`)));
    }).finally(() => clearTimeout(timer));
  }

  async function schemathesis(spec: string, url: string, phases = 'examples,coverage,fuzzing,stateful', extra: string[] = []): Promise<Run> {
    const started = Date.now();
    const args = ['--config-file', CONFIG, 'run', spec, '--url', url, '--seed', String(SEED), '--checks', 'all', '--phases', phases];
    // The emulator takes any bearer token; the connector's connection signs in itself. No
    // example database: every run starts from the seed alone.
    args.push('--header', 'Authorization: Bearer schemathesis', '--generation-database', 'none', '--workers', '1', '--no-color', ...extra);
    const r = await runAsync(join(dir, 'venv', 'bin', 'schemathesis'), args, { cwd: dir, timeout: 900_000 });
    const cases = Number(/(\d+) generated/.exec(r.output)?.[1] ?? NaN);
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`schemathesis ${spec.replace(`${dir}/`, '')}: seed ${SEED}, ${cases} cases, exit ${r.status}, ${seconds} s`);
    return { ...r, cases, seconds };
  }

  it('the API (generated/referrals.openapi.json) against the emulator: 0 failures', async () => {
    const run = await schemathesis(join(ROOT, 'generated/referrals.openapi.json'), `${origin}/v1.0/engagements`);
    expect(run.output).toContain(`Seed: ${SEED}`);
    expect(run.output).toMatch(/Operations: +5 selected \/ 5 total/);
    expect(run.cases).toBeGreaterThan(500);
    expect(run.status, run.output).toBe(0);
  }, 900_000);

  it("the connector (dist/connector's swagger as OpenAPI 3.0) against /connector: 0 failures", async () => {
    const swagger = callerContract(JSON.parse(readFileSync(CONNECTOR_SPEC, 'utf8')));
    const { openapi } = await createRequire(import.meta.url)('swagger2openapi').convertObj(swagger, { patch: true, warnOnly: false });
    // The title picks the connector's [[project]] block in schemathesis.toml.
    openapi.info.title = 'Partner Center Referrals connector';
    const spec = join(dir, 'connector.openapi.json');
    writeFileSync(spec, JSON.stringify(openapi));
    const run = await schemathesis(spec, `${origin}/connector`);
    expect(run.output).toMatch(/Operations: +8 selected \/ 8 total/);
    expect(run.cases).toBeGreaterThan(500);
    expect(run.status, run.output).toBe(0);
  }, 900_000);

  it('a spec the emulator does not follow fails the run, naming the operation and the check', async () => {
    // Widen the create-time status rule in a copy of the spec: the emulator still creates New only.
    const doc = JSON.parse(readFileSync(join(ROOT, 'generated/referrals.openapi.json'), 'utf8'));
    doc.components.schemas.ReferralCreate.properties.status.enum.push('Active');
    const spec = join(dir, 'drifted.openapi.json');
    writeFileSync(spec, JSON.stringify(doc));
    const run = await schemathesis(spec, `${origin}/v1.0/engagements`, 'coverage,fuzzing', ['--include-operation-id', 'CreateReferral']);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('POST /referrals');
    expect(run.output).toContain('Schema-valid request rejected');
    expect(run.output).toContain('body/status: must be one of New');
  }, 900_000);
});
