#!/usr/bin/env node
// Validates dist/connector against the JSON schemas Microsoft publishes in the
// PowerPlatformConnectors repository (kept outside this repo, in ../shared/schemas by default).
// Those schemas are JSONC and lag the live service in places (they reject format "guid",
// scriptOperations, connectionParameterSets, redirectMode GlobalPerConnector), so a failure
// here can also mean the schema is behind; the message says which file and where. The two
// properties this package needs and the schemas lack (ALLOWANCES) are added to the schemas,
// each with the shape its source shows and nothing more; every other rule stays as published.
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

/**
 * What the published schemas reject although the platform and paconn take it. Added only where
 * the schema does not define the property itself, so a schema that catches up wins.
 */
const ALLOWANCES = [
  {
    schema: 'paconn-apiProperties.schema.json',
    file: 'apiProperties.json',
    path: ['properties', 'properties', 'properties'],
    name: 'scriptOperations',
    definition: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    source:
      'the operations the custom code answers: Learn "Create a custom connector from scratch", step 4 ("Select the actions and triggers to apply to your custom code"); 18 accepted corpus packages carry it (certified Tulip, GISCloud, Zellis, ...)',
  },
  {
    schema: 'paconn-settings.schema.json',
    file: 'settings.json',
    path: ['properties'],
    name: 'script',
    definition: { type: 'string', minLength: 1 },
    source: 'paconn reads the script file from settings.json "script" (paconn/settings/settingsserializer.py) and uploads it on create and update (paconn/operations/upsert.py)',
  },
];

function applyAllowances(schema, schemaFile) {
  const applied = [];
  for (const a of ALLOWANCES.filter((x) => x.schema === schemaFile)) {
    let node = schema;
    for (const key of a.path) node = node?.[key];
    if (!node || typeof node !== 'object') throw new UserError(`${schemaFile}: has no ${a.path.join('.')} to add the allowance "${a.name}" to; check ALLOWANCES in scripts/validate-package.mjs.`);
    if (a.name in node) continue;
    node[a.name] = a.definition;
    applied.push(a);
  }
  return applied;
}

function compile(schemaText, schemaLabel, draft04, schemaFile) {
  let schema;
  try {
    schema = JSON5.parse(schemaText);
  } catch (err) {
    throw new UserError(`${schemaLabel}: cannot parse as JSONC: ${err.message}`);
  }
  const allowed = applyAllowances(schema, schemaFile);
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
    return { validate: ajv.compile(schema), ajv, schema, allowed, base: String(schema.$id ?? schema.id ?? '').replace(/#$/, '') };
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

/** Validates one connector directory; returns { lines: "file: /json/pointer: message", allowed }. */
function validatePackage(connectorDir, schemasDir, label = (f) => f) {
  const lines = [];
  const allowed = [];
  for (const target of TARGETS) {
    const schemaPath = join(schemasDir, target.schema);
    const ctx = compile(readText(schemaPath, schemaPath), schemaPath, target.draft04, target.schema);
    allowed.push(...ctx.allowed);
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
  return { lines, allowed };
}

async function main() {
  const { root, positionals } = parseCli(process.argv.slice(2), { positionals: true });
  if (positionals.length > 1) throw new UserError('expected at most one argument, the schemas directory.');
  const schemasDir = resolve(positionals[0] ?? join(root, '..', 'shared', 'schemas'));
  const connectorDir = join(root, CONNECTOR_DIR);
  const { lines, allowed } = validatePackage(connectorDir, schemasDir, (f) => rel(root, f));
  for (const a of allowed) process.stdout.write(`validate-package: allowed beyond the published ${a.schema}: ${a.file} "${a.name}" (${a.source}).\n`);
  if (lines.length) {
    process.stderr.write(`${lines.join('\n')}\nvalidate-package: ${lines.length} error(s) against the published schemas in ${schemasDir}.\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`validate-package: ${rel(root, connectorDir)} passes the published schemas (${TARGETS.map((t) => t.schema).join(', ')}).\n`);
}

await runMain('validate-package', main);
