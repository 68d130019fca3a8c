// Small helpers shared by the build scripts: repo root, CLI options, canonical JSON,
// atomic writes and a uniform way to report user-facing errors.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The checkout these scripts live in. Tests pass `--root <dir>` to run on a temp copy instead. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where package.mjs puts the connector files and the zip (relative to the root). */
export const CONNECTOR_DIR = 'dist/connector';
export const ZIP_FILE = 'dist/partner-center-referrals-connector.zip';

/** Environment for child processes running Spectral, Redocly or anything calling them: no telemetry, no update check. */
export const QUIET_ENV = { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

/** Absolute path of an installed package's command `name`, to run with `node` without npx's start-up cost. */
export function packageBin(pkg, name) {
  const pkgJson = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  return join(dirname(pkgJson), typeof bin === 'string' ? bin : bin[name]);
}

/** A problem the user can fix; printed without a stack trace. */
export class UserError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * Parses the common `--root <dir>` option plus script-specific boolean flags.
 * Unknown options are an error, so a typo never silently does the wrong thing.
 */
export function parseCli(argv, { flags = [], positionals = false } = {}) {
  const options = { root: { type: 'string' } };
  for (const flag of flags) options[flag] = { type: 'boolean', default: false };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new UserError(`${err.message}\nFix: valid options are ${Object.keys(options).map((o) => `--${o}`).join(', ')}.`);
  }
  const { root, ...rest } = parsed.values;
  return { root: resolve(root ?? REPO_ROOT), ...rest, positionals: parsed.positionals };
}

/** Path relative to the root, with forward slashes, for messages. */
export function rel(root, file) {
  return relative(root, file).split(sep).join('/') || '.';
}

/** The one JSON text format used for every JSON file we write: 2-space indent, trailing newline. */
export function canonicalJson(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Line and column (1-based) of the "position N" a JSON.parse error message names, or null. */
export function jsonErrorAt(text, message) {
  const m = /position (\d+)/.exec(message);
  if (!m) return null;
  const before = text.slice(0, Number(m[1])).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Parses JSON text; on a syntax error throws a UserError naming the file, line and column.
 */
export function parseJsonFile(text, label) {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = jsonErrorAt(text, err.message);
    const where = at ? `:${at.line}:${at.column}` : '';
    throw new UserError(`${label}${where}: invalid JSON: ${err.message}\nFix: correct the JSON syntax at that position.`);
  }
}

/** Reads a file, turning a missing file into a UserError that names it. */
export function readText(file, label) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') throw new UserError(`${label}: file not found (${file}).`);
    throw new UserError(`${label}: cannot read: ${err.message}`);
  }
}

/** A temp name next to the target so the final rename stays on one filesystem (hence atomic). */
export function tempSibling(target) {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes `content` to `file` via temp file + rename, and only when it differs from what is there.
 * Returns true when the file was (re)written.
 */
export function writeIfChanged(file, content) {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let current;
  try {
    current = readFileSync(file);
  } catch {
    current = undefined;
  }
  if (current && current.equals(data)) return false;
  const tmp = tempSibling(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return true;
}

/**
 * Runs a script's main function: UserErrors print as `<name>: error: <message>` and exit 1;
 * anything else is a bug and keeps its stack.
 */
export async function runMain(name, main) {
  try {
    await main();
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`${name}: error: ${err.message}\n`);
    } else {
      process.stderr.write(`${name}: unexpected failure:\n${err?.stack ?? err}\n`);
    }
    process.exitCode = 1;
  }
}
