#!/usr/bin/env node
// `npm run diff -- <old> [<new>]`: the changes between two connector definitions, each with its
// class (scripts/lib/diff/rules.mjs), whether it breaks existing flows, and the fix.
//   <old>, <new>  a definition file (JSON or YAML), a folder (connector package, checkout, or
//                 openapi/baseline), or a git ref of this checkout; <new> defaults to the
//                 working tree (openapi/referrals.yaml + apiProperties.json).
//   --json        the changes as JSON (class, level, breaking, operationId, path, message, fix)
//   --changelog   the changes as Markdown release notes
// Exit code: 0 nothing breaking, 1 something breaking, 2 bad input (one line names the side and why).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { diffConnectors } from './lib/diff/compare.mjs';
import { changelog, jsonReport, textReport } from './lib/diff/format.mjs';
import { SideError, loadSide } from './lib/diff/load.mjs';
import { REPO_ROOT } from './lib/util.mjs';

const USAGE = 'usage: npm run diff -- <old> [<new>] [--json | --changelog] [--root <checkout>]';

function fail(message) {
  process.stderr.write(`diff: ${message}\n`);
  process.exit(2);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      args: process.argv.slice(2),
      options: { json: { type: 'boolean' }, changelog: { type: 'boolean' }, root: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    fail(`${err.message} (${USAGE})`);
  }
  const { values, positionals } = args;
  if (positionals.length < 1 || positionals.length > 2) fail(`give one or two definitions to compare (${USAGE})`);
  if (values.json && values.changelog) fail('--json and --changelog exclude each other');
  const root = resolve(values.root ?? REPO_ROOT);

  let oldSide;
  let newSide;
  try {
    oldSide = await loadSide('old', positionals[0], { root });
    newSide = await loadSide('new', positionals[1], { root });
  } catch (err) {
    if (err instanceof SideError) fail(err.message);
    throw err;
  }
  const result = diffConnectors(oldSide, newSide);
  const report = { oldSide, newSide, result };
  process.stdout.write(values.json ? jsonReport(report) : values.changelog ? changelog(result.changes) : textReport(report));
  process.exitCode = result.changes.some((c) => c.breaking) ? 1 : 0;
}

// A reader that stops early (| head) is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main().catch((err) => {
  process.stderr.write(`diff: unexpected failure:\n${err?.stack ?? err}\n`);
  process.exit(2);
});
