#!/usr/bin/env node
// Runs every connector package under a folder through the connector runtime and reports, per
// policy template, the instances loaded and the instances applied without anomaly (behaviour:
// scripts/lib/runtime-behaviour.ts runs each operation an instance names against a recording
// backend and checks every request sent). Research tooling, not part of `npm test`.
// Usage: npm run runtime:corpus -- <folder> [--json]
//   <folder>  searched recursively for folders holding apiProperties.json
// Files are read as lint:corpus reads them (lib/corpus.mjs): deviations the platform tolerated
// are named ("tolerated"); a package whose files do not parse is counted apart ("unreadable"),
// named, and not held against the runtime. Exit code 1 when any readable package fails to load.
// A separate section compiles every script.csx (lib/custom-code-corpus.mjs) and names why each
// script that does not compile fails; those scripts do not change the exit code.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DEFINITION_FILE, PROPERTIES_FILE } from '../src/connector-runtime/index.ts';
import { findFiles, readLenientJson } from './lib/corpus.mjs';
import { customCodeLines, customCodeReport } from './lib/custom-code-corpus.mjs';
import { exceptions, figuresByTemplate, measurePackage } from './lib/runtime-behaviour.ts';
import { UserError, parseCli, runMain } from './lib/util.mjs';

/** The readable packages under `root`, noting tolerated deviations and unreadable files in `report`. */
function readPackages(root, report) {
  const packages = [];
  for (const folder of findFiles(root, PROPERTIES_FILE).map(dirname)) {
    report.packages++;
    const name = relative(root, folder);
    const [properties, definition] = [PROPERTIES_FILE, DEFINITION_FILE].map((file) => ({ file, ...readLenientJson(join(folder, file)) }));
    const unreadable = [properties, definition].find((r) => r.unreadable);
    if (unreadable) {
      report.unreadable.push(`${name}/${unreadable.file}: ${unreadable.unreadable}`);
      continue;
    }
    for (const r of [properties, definition]) if (r.notes.length) report.tolerated.push(`${name}/${r.file}: ${r.notes.join('; ')}`);
    packages.push({ name, definition: definition.value, properties: properties.value });
  }
  return packages;
}

/** Behaviour: each package's instances loaded and applied without anomaly, by template. */
async function measureBehaviour(packages, report) {
  const results = [];
  for (const p of packages) results.push(await measurePackage(p.name, p.definition ?? {}, p.properties ?? {}));
  report.loaded = results.filter((r) => r.loaded).length;
  report.failed = results.filter((r) => !r.loaded).map((r) => `${r.name}: ${r.refusal}`);
  report.byTemplate = figuresByTemplate(results);
  const totals = Object.values(report.byTemplate).reduce((t, f) => ({ instances: t.instances + f.instances, loaded: t.loaded + f.loaded, applied: t.applied + f.applied }), { instances: 0, loaded: 0, applied: 0 });
  Object.assign(report, { instances: totals.instances, instancesLoaded: totals.loaded, instancesApplied: totals.applied });
  report.exceptions = exceptions(results);
  report.packageAnomalies = results.flatMap((r) => r.packageAnomalies.map((a) => `${r.name}: ${a.operation}: ${a.check}: ${a.detail}`));
  report.credentials = {};
  for (const r of results) {
    if (!r.credential) continue;
    const kind = r.credential.replace(/ '.*$| from .*$| \(.*$/, ''); // "apiKey in header 'X-Key' from ..." -> "apiKey in header"
    report.credentials[kind] = (report.credentials[kind] ?? 0) + 1;
  }
}

function print(report) {
  const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
  console.log(`packages: ${report.packages} (${report.loaded} loaded, ${report.failed.length} refused, ${report.unreadable.length} unreadable)`);
  console.log(`policy instances: ${report.instancesLoaded} / ${report.instances} loaded; ${report.instancesApplied} / ${report.instancesLoaded} applied without anomaly (${pct(report.instancesApplied, report.instancesLoaded)})`);
  console.log('by template (applied without anomaly / loaded / instances):');
  for (const [id, f] of Object.entries(report.byTemplate).sort((a, b) => b[1].instances - a[1].instances)) console.log(`  ${id}: ${f.applied} / ${f.loaded} / ${f.instances}`);
  console.log(`credentials: ${Object.entries(report.credentials).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`anomalies of the swagger or credential alone (no instance on the operation): ${report.packageAnomalies.length}`);
  for (const line of report.tolerated) console.log(`tolerated: ${line}`);
  for (const line of report.unreadable) console.log(`unreadable: ${line}`);
  for (const line of report.failed) console.log(`refused: ${line}`);
  for (const line of report.exceptions) console.log(`exception: ${line}`);
  for (const line of report.packageAnomalies) console.log(`package anomaly: ${line}`);
}

await runMain('runtime:corpus', async () => {
  const { positionals, ...values } = parseCli(process.argv.slice(2), { flags: ['json'], positionals: true });
  const root = positionals[0];
  if (!root) throw new UserError('Usage: npm run runtime:corpus -- <folder> [--json]');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`${root}: not a folder`);

  const report = { packages: 0, tolerated: [], unreadable: [] };
  const packages = readPackages(root, report);
  await measureBehaviour(packages, report);

  report.customCode = customCodeReport(root);

  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    print(report);
    for (const line of customCodeLines(report.customCode)) console.log(line);
  }
  if (report.failed.length) process.exitCode = 1;
});
