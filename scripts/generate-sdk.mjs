#!/usr/bin/env node
// `npm run generate:sdk -- <generator> <outdir> [options]`: a client in another language, made
// by the project's pinned OpenAPI Generator from the spec converted to OpenAPI 3.0 without the
// connector-only operations (lib/sdk-spec.mjs; as in generated/referrals.openapi.json, but from
// the current openapi/referrals.yaml), so every call it offers exists on Partner Center. Not from the
// Swagger 2.0 file: OpenAPI Generator reads a Swagger 2.0 schema without `type` (a JSON Patch
// value, an error detail: any JSON value) as an object, and e.g. the Python client then refuses
// `value="Active"`; in OpenAPI 3.0 the same schema is "any". Options go to
// `openapi-generator-cli generate` unchanged, e.g.
//   npm run generate:sdk -- python ../referrals-py --additional-properties=packageName=pc_referrals
// Writes only into a new or empty folder, or one an earlier generate:sdk run made (it holds
// .openapi-generator/FILES), so no hand-written file is overwritten. Ends by printing the
// language's own next step (go mod tidy, pip install, ...); it runs none of them, since they
// download dependencies and build in the user's environment.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { runGenerator } from './lib/openapi-generator.mjs';
import { sdkOpenApi } from './lib/sdk-spec.mjs';
import { SPEC_FILE } from './lib/spec.mjs';
import { REPO_ROOT, UserError, canonicalJson, runMain } from './lib/util.mjs';

const USAGE = 'Usage: npm run generate:sdk -- <generator> <outdir> [openapi-generator generate options]\n  e.g. npm run generate:sdk -- python ./referrals-python --additional-properties=packageName=pc_referrals\n  Generators: npx openapi-generator-cli list';
// Options generate:sdk sets itself: passing them again would generate from something else.
const OWN_OPTIONS = new Set(['-i', '--input-spec', '-g', '--generator-name', '-o', '--output']);

function checkOutdir(outdir) {
  const inside = (dir) => {
    const r = relative(dir, outdir);
    return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
  };
  if (inside(join(REPO_ROOT, 'generated')) || inside(join(REPO_ROOT, 'src')) || outdir === REPO_ROOT) {
    throw new UserError(`${outdir}: generated/, src/ and the checkout root belong to the project.\nFix: pass a folder of its own, e.g. ./sdk/python.`);
  }
  if (!existsSync(outdir)) return;
  if (!statSync(outdir).isDirectory()) throw new UserError(`${outdir}: exists and is not a folder.\nFix: pass a new or empty folder.`);
  if (readdirSync(outdir).length > 0 && !existsSync(join(outdir, '.openapi-generator', 'FILES'))) {
    throw new UserError(`${outdir}: the folder is not empty and was not made by generate:sdk (no .openapi-generator/FILES), so files could be overwritten.\nFix: pass a new or empty folder.`);
  }
}

async function main() {
  const [generator, out, ...options] = process.argv.slice(2);
  if (!generator || generator === '--help' || generator === '-h') {
    if (generator) return void process.stdout.write(`${USAGE}\n`);
    throw new UserError(`no generator given.\n${USAGE}`);
  }
  if (generator.startsWith('-')) throw new UserError(`the first argument must be a generator name, got option ${generator}.\n${USAGE}`);
  if (!out) throw new UserError(`no output folder given for generator ${generator}.\n${USAGE}`);
  const clash = options.find((o) => OWN_OPTIONS.has(o.split('=')[0]));
  if (clash) throw new UserError(`option ${clash} is set by generate:sdk (input: the bundled ${SPEC_FILE}, generator and output: the first two arguments).\n${USAGE}`);
  const outdir = resolve(out);
  checkOutdir(outdir);

  const openapi = canonicalJson(await sdkOpenApi(REPO_ROOT));
  const tmp = mkdtempSync(join(tmpdir(), 'pcr-sdk-'));
  let version;
  try {
    const input = join(tmp, 'referrals.openapi.json');
    writeFileSync(input, openapi);
    const r = runGenerator(['generate', '-g', generator, '-i', input, '-o', outdir, ...options], { purpose: `to generate the ${generator} client` });
    ({ version } = r);
    const output = `${r.stdout}\n${r.stderr}`;
    if (/Can't load config class with name/i.test(output)) {
      throw new UserError(`OpenAPI Generator ${version} has no generator named "${generator}".\nFix: pick one from \`npx openapi-generator-cli list\` (e.g. python, java, csharp, go).`);
    }
    for (const line of output.split('\n').filter((l) => /\b(WARN|ERROR)\b/.test(l))) process.stderr.write(`${line}\n`);
    if (r.status !== 0) throw new UserError(`OpenAPI Generator ${version} (${generator}) failed (exit ${r.status}):\n${output.trim().split('\n').slice(-20).join('\n')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`generate:sdk: ${generator} client of ${SPEC_FILE} written to ${outdir} (OpenAPI Generator ${version}).\n`);
  process.stdout.write(`Next: ${nextStep(generator, outdir)}\n`);
}

/**
 * What makes the generated client build with its language's own toolchain. Go, Python and
 * typescript-fetch are checked by the test suite (test/generator); the others follow their
 * generator's README.
 */
function nextStep(generator, outdir) {
  const dir = JSON.stringify(outdir);
  switch (generator) {
    case 'go':
      // The generated go.mod lists no go.sum: `go build` fails on "missing go.sum entry" until
      // go mod tidy has fetched the module's dependencies (testify among them).
      return `cd ${dir} && go mod tidy && go build ./...   (go mod tidy fetches the dependencies from the Go module proxy and writes go.sum; without it go build fails with "missing go.sum entry")`;
    case 'python':
    case 'python-pydantic-v1':
      return `python3 -m venv .venv && .venv/bin/pip install ${dir}   (installs the package and its dependencies from PyPI into a virtual environment)`;
    case 'typescript-fetch':
      return `copy ${dir} into a TypeScript project and import from its index.ts (it needs only fetch), or generate with --additional-properties=npmName=<name> and run npm install && npm run build in ${dir}`;
    case 'java':
      return `cd ${dir} && mvn package   (or gradle build; fetches the dependencies from Maven Central)`;
    case 'csharp':
      return `cd ${dir} && dotnet build   (needs the .NET SDK and NuGet)`;
    default:
      return `build it as ${dir}/README.md says for ${generator}`;
  }
}

await runMain('generate:sdk', main);
