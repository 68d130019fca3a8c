#!/usr/bin/env node
// Builds the Power Platform connector package:
//   dist/connector/{apiDefinition.swagger.json, apiProperties.json, icon.png, script.csx, settings.json, readme.md}
//   dist/partner-center-referrals-connector.zip (the same six files)
// script.csx (the trigger's custom code, from openapi/script.csx) is compiled with the connector
// runtime's Mono harness first, so a script that does not compile stops here with file:line.
// Every input is checked first; output is assembled in a temp dir inside dist/ and moved into
// place only when everything succeeded, so a failure leaves the previous package untouched.
// The zip has fixed timestamps and file order, so two builds of the same inputs are byte-identical.
// Usage: node scripts/package.mjs [--root <dir>]
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { API_PROPERTIES_FILE, assertValidApiProperties, loadApiProperties } from './lib/api-properties.mjs';
import { ICON_FILE, iconProblems } from './lib/icon.mjs';
import { README_SOURCE, readmeProblems, renderReadme } from './lib/readme.mjs';
import { listOperations, loadSpec } from './lib/spec.mjs';
import { CONNECTOR_DIR, UserError, ZIP_FILE, canonicalJson, parseCli, readText, runMain } from './lib/util.mjs';

/** The hand-written custom code; apiProperties.json's scriptOperations say which operations it answers. */
const SCRIPT_SOURCE = 'openapi/script.csx';

// paconn's argument store. connectorId and environment are per tenant, so they stay out;
// the URLs are absolute because the published settings schema declares format "uri".
// `script` is paconn's key for the custom code (paconn settingsserializer.py `_SCRIPT`); without it
// `paconn create/update -s settings.json` uploads no script and clears the connector's.
const SETTINGS = {
  apiDefinition: 'apiDefinition.swagger.json',
  apiProperties: 'apiProperties.json',
  icon: 'icon.png',
  script: 'script.csx',
  powerAppsUrl: 'https://api.powerapps.com',
  powerAppsApiVersion: '2016-11-01',
  flowUrl: 'https://api.flow.microsoft.com',
  flowApiVersion: '2016-11-01',
};

const MAX_DEFINITION_BYTES = 1024 * 1024; // certification limit for apiDefinition.swagger.json

// Zip entries carry DOS local time; building the date from local fields keeps the bytes the
// same in every time zone. 1980-01-01 is the earliest a zip can hold.
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const ZIP_FILE_ATTRS = (0o100644 << 16) >>> 0; // regular file, rw-r--r--, as unzip on Unix expects

/**
 * Refuses a script that does not compile, naming script.csx:line:column (the runtime's compiler,
 * src/connector-runtime/custom-code/compile.ts, through tsx). Without Mono the check is skipped
 * with a note, except under CI, where it fails.
 */
async function checkScript(source) {
  const { tsImport } = await import('tsx/esm/api');
  const { checkScriptSize, compileScript, missingMono } = await tsImport('../src/connector-runtime/custom-code/compile.ts', import.meta.url);
  const refuse = (err) => new UserError(`${SCRIPT_SOURCE}: ${err.message.replace(/^script\.csx(: )?/, '')}`);
  try {
    checkScriptSize(source);
  } catch (err) {
    throw refuse(err);
  }
  const missing = missingMono();
  if (missing) {
    if (process.env.CI) throw new UserError(`${SCRIPT_SOURCE}: cannot be compiled: ${missing}`);
    process.stderr.write(`package: note: ${SCRIPT_SOURCE} was not compiled. ${missing}\n`);
    return;
  }
  try {
    compileScript(source);
  } catch (err) {
    if (err.name !== 'ScriptCompileError') throw err;
    throw new UserError(`${err.message.replace(/^script\.csx /, `${SCRIPT_SOURCE} `).replace(/^script\.csx:/gm, `${SCRIPT_SOURCE}:`)}\nFix: correct the C# at that line (C# 7 at most, the Learn page's namespaces only; see src/connector-runtime/README.md, "Custom code").`);
  }
}

/** Validates every input and returns the package files as Map name -> Buffer, in the order they are zipped. */
async function buildPackage(root) {
  const { spec, json: apiDefinition } = loadSpec(root);
  if (Buffer.byteLength(apiDefinition) > MAX_DEFINITION_BYTES) {
    throw new UserError(`openapi/referrals.yaml: the bundled definition is ${Buffer.byteLength(apiDefinition)} bytes; Power Platform accepts at most ${MAX_DEFINITION_BYTES}.\nFix: shorten descriptions and examples or share schemas through $ref.`);
  }
  const operations = listOperations(spec);
  const apiProperties = loadApiProperties(root);
  assertValidApiProperties(apiProperties, new Set(operations.map((op) => op.operationId)));

  let icon;
  try {
    icon = readFileSync(join(root, ICON_FILE));
  } catch {
    throw new UserError(`${ICON_FILE}: file not found.\nFix: run \`node scripts/make-icon.mjs\` to draw it.`);
  }
  const iconIssues = iconProblems(icon, apiProperties.properties.iconBrandColor, ICON_FILE);
  if (iconIssues.length) throw new UserError(iconIssues.join('\n'));

  const script = readText(join(root, SCRIPT_SOURCE), SCRIPT_SOURCE);
  await checkScript(script);

  const readmeSource = readText(join(root, README_SOURCE), README_SOURCE);
  const readmeIssues = readmeProblems(readmeSource);
  if (readmeIssues.length) throw new UserError(readmeIssues.join('\n'));

  return new Map([
    ['apiDefinition.swagger.json', Buffer.from(apiDefinition)],
    ['apiProperties.json', Buffer.from(canonicalJson(apiProperties))],
    ['icon.png', icon],
    ['script.csx', Buffer.from(script)],
    ['settings.json', Buffer.from(canonicalJson(SETTINGS))],
    ['readme.md', Buffer.from(renderReadme(readmeSource, operations))],
  ]);
}

function zipPackage(files) {
  const entries = {};
  for (const [name, data] of files) {
    entries[name] = [new Uint8Array(data), { mtime: ZIP_MTIME, os: 3, attrs: ZIP_FILE_ATTRS }];
  }
  return Buffer.from(zipSync(entries, { level: 9, mtime: ZIP_MTIME }));
}

/** Writes into dist/.package-<random>/ then swaps the finished result into place. */
function publish(root, files, zip) {
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  const staging = join(dist, `.package-${process.pid}-${randomBytes(4).toString('hex')}`);
  const connector = join(root, CONNECTOR_DIR);
  const zipPath = join(root, ZIP_FILE);
  const old = `${staging}-old`;
  try {
    mkdirSync(join(staging, 'connector'), { recursive: true });
    for (const [name, data] of files) writeFileSync(join(staging, 'connector', name), data);
    writeFileSync(join(staging, 'package.zip'), zip);
    if (existsSync(connector)) renameSync(connector, old);
    try {
      renameSync(join(staging, 'connector'), connector);
    } catch (err) {
      if (existsSync(old)) renameSync(old, connector);
      throw err;
    }
    renameSync(join(staging, 'package.zip'), zipPath); // atomic replace of the previous zip
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

async function main() {
  const { root } = parseCli(process.argv.slice(2));
  const files = await buildPackage(root);
  const zip = zipPackage(files);
  publish(root, files, zip);
  for (const [name, data] of files) process.stdout.write(`  ${CONNECTOR_DIR}/${name} (${data.length} bytes)\n`);
  const sha = createHash('sha256').update(zip).digest('hex');
  process.stdout.write(`package: ${ZIP_FILE} (${zip.length} bytes, sha256 ${sha}); inputs ${API_PROPERTIES_FILE}, ${ICON_FILE}, ${SCRIPT_SOURCE}, ${README_SOURCE} ok\n`);
}

await runMain('package', main);
