#!/usr/bin/env node
// Extracts the field list of the published connector's Referral definition from the Japanese
// connector page (the seed) into test/build/fixtures/seed-referral-fields.json, so the build tests
// can check our spec covers every field without needing ../shared at test time.
// The table starts after the line naming the contract type, in the 定義 (definitions) section;
// each row is "| <display name> | <dotted path> | <type> | <description> |" spread over lines.
// Usage: node scripts/extract-seed-fields.mjs [seedFile] [--root <dir>]
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError, canonicalJson, parseCli, readText, runMain, writeIfChanged } from './lib/util.mjs';

const FIXTURE = 'test/build/fixtures/seed-referral-fields.json';
const TYPE_NAME = 'Microsoft.Partner.Service.PartnerReferrals.Contracts.V3.Referral';
const SECTION = '定義';
// "<path> | <type> |": a path of identifiers/@odata names joined by dots, then a type cell.
const ROW = /^([@A-Za-z][\w.@]*) \| ([^|]*?) \|$/;

/** Returns [{ path, type }] in the order of the seed table. */
function extractFields(text, label = 'seed') {
  const lines = text.split(/\r?\n/);
  const section = lines.lastIndexOf(SECTION);
  const start = lines.findIndex((l, i) => i > section && l.trim() === TYPE_NAME);
  if (section < 0 || start < 0) {
    throw new UserError(`${label}: no "${TYPE_NAME}" table after a "${SECTION}" line.\nFix: point the script at the Japanese connector page text.`);
  }
  const fields = [];
  for (const line of lines.slice(start + 1)) {
    const m = ROW.exec(line.trim());
    if (m) fields.push({ path: m[1], type: m[2].trim() });
  }
  if (fields.length === 0) throw new UserError(`${label}: the ${TYPE_NAME} table has no rows.`);
  const dup = fields.find((f, i) => fields.findIndex((g) => g.path === f.path) !== i);
  if (dup) throw new UserError(`${label}: field ${dup.path} appears twice in the table.`);
  return fields;
}

async function main() {
  const { root, positionals } = parseCli(process.argv.slice(2), { positionals: true });
  const seed = resolve(positionals[0] ?? join(root, '..', 'shared', 'seed', 'partner-center-referrals-connector.ja.txt'));
  const fields = extractFields(readText(seed, seed), seed);
  const out = join(root, FIXTURE);
  mkdirSync(dirname(out), { recursive: true });
  const changed = writeIfChanged(out, canonicalJson(fields));
  process.stdout.write(`${changed ? 'wrote' : 'unchanged'} ${FIXTURE} (${fields.length} fields)\n`);
}

await runMain('extract-seed-fields', main);
