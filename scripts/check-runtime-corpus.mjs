#!/usr/bin/env node
// Loads every connector package under a folder with the connector runtime and reports each
// policy instance or expression it cannot apply. Research tooling, not part of `npm test`.
// Usage: npm run runtime:corpus -- <folder> [--json]
//   <folder>  searched recursively for folders holding apiProperties.json
// Files are read as lint:corpus reads them (lib/corpus.mjs): deviations the platform tolerated
// are named ("tolerated"); a package whose files do not parse is counted apart ("unreadable"),
// named, and not held against the runtime. Exit code 1 when any readable package fails to load.
// A separate section compiles every script.csx (lib/custom-code-corpus.mjs) and names why each
// script that does not compile fails; those scripts do not change the exit code.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DEFINITION_FILE, PackageError, parsePackage, PROPERTIES_FILE } from '../src/connector-runtime/index.ts';
import { findFiles, readLenientJson } from './lib/corpus.mjs';
import { customCodeLines, customCodeReport } from './lib/custom-code-corpus.mjs';
import { UserError, parseCli, runMain } from './lib/util.mjs';

/** Expression-bearing fields: values with a call (`@fn(`), an interpolation (`@{`, `{@`) or `@Request.`. */
function countExpressions(instances) {
  let n = 0;
  const visit = (v, key) => {
    if (key === 'x-ms-apimTemplate-operationName' || key?.endsWith('nextLinkPropertyName')) return;
    if (typeof v === 'string' && /@\{|\{@|@[A-Za-z]+\s*\(|@Request\.|^\s*body\(\)/.test(v)) n++;
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  for (const i of instances) visit(i?.parameters);
  return n;
}

await runMain('runtime:corpus', async () => {
  const { positionals, ...values } = parseCli(process.argv.slice(2), { flags: ['json'], positionals: true });
  const root = positionals[0];
  if (!root) throw new UserError('Usage: npm run runtime:corpus -- <folder> [--json]');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`${root}: not a folder`);

  const report = { packages: 0, tolerated: [], unreadable: [], loaded: 0, failed: [], instances: 0, instancesUnderstood: 0, expressions: 0, expressionsUnderstood: 0, byTemplate: {} };
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
    const instances = Array.isArray(properties.value?.properties?.policyTemplateInstances) ? properties.value.properties.policyTemplateInstances : [];
    const expressions = countExpressions(instances);
    report.instances += instances.length;
    report.expressions += expressions;
    for (const i of instances) {
      const id = String(i?.templateId).toLowerCase();
      report.byTemplate[id] = (report.byTemplate[id] ?? 0) + 1;
    }
    try {
      parsePackage(definition.value, properties.value);
      report.loaded++;
      report.instancesUnderstood += instances.length;
      report.expressionsUnderstood += expressions;
    } catch (err) {
      if (!(err instanceof PackageError)) throw err;
      report.failed.push(`${name}: ${err.message}`);
      // Count what does load: each instance on its own against the same swagger.
      for (const i of instances) {
        try {
          parsePackage(definition.value, { properties: { policyTemplateInstances: [i] } });
          report.instancesUnderstood++;
          report.expressionsUnderstood += countExpressions([i]);
        } catch (e) {
          if (!(e instanceof PackageError)) throw e;
        }
      }
    }
  }

  const customCode = customCodeReport(root);
  if (values.json) {
    console.log(JSON.stringify({ ...report, customCode }, null, 2));
  } else {
    const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
    console.log(`packages: ${report.packages} (${report.loaded} loaded, ${report.failed.length} refused, ${report.unreadable.length} unreadable)`);
    console.log(`policy instances understood: ${report.instancesUnderstood} / ${report.instances} (${pct(report.instancesUnderstood, report.instances)})`);
    console.log(`expressions understood: ${report.expressionsUnderstood} / ${report.expressions} (${pct(report.expressionsUnderstood, report.expressions)})`);
    console.log(`templates: ${Object.entries(report.byTemplate).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const line of report.tolerated) console.log(`tolerated: ${line}`);
    for (const line of report.unreadable) console.log(`unreadable: ${line}`);
    for (const line of report.failed) console.log(`refused: ${line}`);
    for (const line of customCodeLines(customCode)) console.log(line);
  }
  if (report.failed.length) process.exitCode = 1;
});
