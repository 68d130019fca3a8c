#!/usr/bin/env node
// Validates dist/connector against the JSON schemas Microsoft publishes in the
// PowerPlatformConnectors repository (kept outside this repo, in ../shared/schemas by default).
// Those schemas are JSONC and lag the live service in places (they reject format "guid",
// scriptOperations, connectionParameterSets, redirectMode GlobalPerConnector), so a failure
// here can also mean the schema is behind; the message says which file and where.
// Usage: node scripts/validate-package.mjs [schemasDir] [--root <dir>]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import JSON5 from 'json5';
import { CONNECTOR_DIR, UserError, parseCli, parseJsonFile, readText, rel, runMain } from './lib/util.mjs';

const addFormats = addFormatsModule.default ?? addFormatsModule;

/** package file -> schema file and the Ajv flavour its $schema asks for. */
const TARGETS = [
  { file: 'apiDefinition.swagger.json', schema: 'apiDefinition.swagger.schema.json', draft04: true },
  { file: 'apiProperties.json', schema: 'paconn-apiProperties.schema.json', draft04: false },
  { file: 'settings.json', schema: 'paconn-settings.schema.json', draft04: false },
];

function compile(schemaText, schemaLabel, draft04) {
  let schema;
  try {
    schema = JSON5.parse(schemaText);
  } catch (err) {
    throw new UserError(`${schemaLabel}: cannot parse as JSONC: ${err.message}`);
  }
  // The draft-07 files still use draft-04's "id"; Ajv 8 only accepts "$id" there.
  if (!draft04 && typeof schema.id === 'string' && schema.$id === undefined) {
    schema.$id = schema.id;
    delete schema.id;
  }
  // strict: false because these schemas carry editor-only keywords (defaultSnippets, examples, id).
  // verbose: oneOf errors need the failing schema and data to find the closest branch.
  const options = { allErrors: true, strict: false, validateSchema: false, verbose: true };
  const ajv = draft04 ? new AjvDraft04.default(options) : new Ajv(options);
  addFormats(ajv);
  try {
    return { validate: ajv.compile(schema), ajv, schema, base: String(schema.$id ?? schema.id ?? '').replace(/#$/, '') };
  } catch (err) {
    throw new UserError(`${schemaLabel}: cannot compile: ${err.message}`);
  }
}

/** Map from every object inside the schema to its JSON pointer, to locate a failing oneOf. */
function pointers(schema) {
  const map = new Map();
  const walk = (node, ptr) => {
    if (node === null || typeof node !== 'object' || map.has(node)) return;
    map.set(node, ptr);
    for (const [k, v] of Object.entries(node)) walk(v, `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(schema, '');
  return map;
}

const joinPath = (prefix, e) => ({ ...e, instancePath: prefix + e.instancePath });

/**
 * A failed oneOf/anyOf makes Ajv report every error of every branch (dozens for the 13 policy
 * templates). Replace them by the errors of the closest branch: the one whose enum/const
 * "discriminators" (e.g. templateId) match and that has the fewest errors.
 */
function explain(errors, ctx) {
  const unions = errors.filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && ctx.ptrs.has(e.parentSchema));
  if (!unions.length) return errors;
  const covered = (e) => unions.some((u) => e !== u && (e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`)));
  const out = errors.filter((e) => !covered(e) || unions.includes(e));
  const result = [];
  for (const e of out) {
    if (!unions.includes(e)) {
      result.push(e);
      continue;
    }
    let best;
    const branches = Array.isArray(e.schema) ? e.schema.length : 0;
    for (let i = 0; i < branches; i++) {
      const v = ctx.ajv.getSchema(`${ctx.base}#${ctx.ptrs.get(e.parentSchema)}/${e.keyword}/${i}`);
      if (!v || v(e.data)) continue;
      const errs = v.errors ?? [];
      const mismatch = errs.some((x) => (x.keyword === 'enum' || x.keyword === 'const') && x.instancePath.split('/').length <= 2);
      const score = (mismatch ? 1000 : 0) + errs.length;
      if (!best || score < best.score) best = { score, errs };
    }
    result.push({ ...e, message: best ? `${e.message}; the closest variant reports:` : e.message });
    if (best) result.push(...explain(best.errs, ctx).map((x) => joinPath(e.instancePath, { ...x, depth: (x.depth ?? 0) + 1 })));
  }
  return result;
}

/** Validates one connector directory; returns lines "file: /json/pointer: message". */
function validatePackage(connectorDir, schemasDir, label = (f) => f) {
  const lines = [];
  for (const target of TARGETS) {
    const schemaPath = join(schemasDir, target.schema);
    const ctx = compile(readText(schemaPath, schemaPath), schemaPath, target.draft04);
    ctx.ptrs = pointers(ctx.schema);
    const file = join(connectorDir, target.file);
    const data = parseJsonFile(readText(file, label(file)), label(file));
    if (ctx.validate(data)) continue;
    const seen = new Set();
    for (const e of explain(ctx.validate.errors, ctx)) {
      const extra = e.params?.additionalProperty ? ` "${e.params.additionalProperty}"` : e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
      const line = `${'  '.repeat(e.depth ?? 0)}${label(file)}: ${e.instancePath || '/'}: ${e.message}${extra} (${target.schema})`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
  }
  return lines;
}

async function main() {
  const { root, positionals } = parseCli(process.argv.slice(2), { positionals: true });
  if (positionals.length > 1) throw new UserError('expected at most one argument, the schemas directory.');
  const schemasDir = resolve(positionals[0] ?? join(root, '..', 'shared', 'schemas'));
  const connectorDir = join(root, CONNECTOR_DIR);
  const lines = validatePackage(connectorDir, schemasDir, (f) => rel(root, f));
  if (lines.length) {
    process.stderr.write(`${lines.join('\n')}\nvalidate-package: ${lines.length} error(s) against the published schemas in ${schemasDir}.\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`validate-package: ${rel(root, connectorDir)} passes the published schemas (${TARGETS.map((t) => t.schema).join(', ')}).\n`);
}

await runMain('validate-package', main);
