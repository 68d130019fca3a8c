#!/usr/bin/env node
// `npm run lint [-- <file>]`: lints the connector spec (default openapi/referrals.yaml) with the
// project's Spectral ruleset (.spectral.yaml: spectral:oas + the Power Platform rules), with
// Redocly (redocly.yaml) and with `openapi-generator-cli validate --recommend` on the bundled
// spec (what client generators read). Prints one line per problem:
//   <file>:<line>:<col> <RuleName> <json.path> — <message>. Fix: <how>
// and exits 1 on any error or warning from any of them, 0 with a one-line summary when clean.
// --allow-warnings (what `npm run build` uses) still prints warnings but exits 1 on errors only:
// warnings are reviewer guidance the platform accepts (openapi/rules/README.md).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import YAML from 'yaml';
// CommonJS packages: Node's ESM loader only guarantees their default export.
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import rulesetLoader from '@stoplight/spectral-ruleset-bundler/with-loader';
import { orSkipOutsideCi, runGenerator } from './lib/openapi-generator.mjs';
import { SPEC_FILE } from './lib/spec.mjs';
import { QUIET_ENV, UserError, canonicalJson, packageBin, parseCli, readText, runMain } from './lib/util.mjs';

const { Document, Spectral } = spectralCore;
const { Json, Yaml } = spectralParsers;
const { bundleAndLoadRuleset } = rulesetLoader;

// Spectral severities: 0 error, 1 warn, 2 info, 3 hint.
const SEVERITY = ['error', 'warning', 'info', 'hint'];

/** The file as the user should see it: relative to the working directory when inside it. */
function shown(file) {
  const fromCwd = relative(process.cwd(), file);
  return (fromCwd.startsWith('..') || isAbsolute(fromCwd) ? file : fromCwd).split(sep).join('/');
}

const sentence = (text) => text.trim().replace(/[.\s]+$/, '');

/** Dotted JSON path in Spectral's style (paths./referrals.get.operationId); "$" for the root. */
const dotted = (path) => (path.length === 0 ? '$' : path.join('.'));

async function spectralProblems(root, file) {
  const rulesetFile = join(root, '.spectral.yaml');
  if (!fs.existsSync(rulesetFile)) throw new UserError(`${rulesetFile}: ruleset not found.\nFix: run from the repository or pass --root <checkout>.`);
  const ruleset = await bundleAndLoadRuleset(rulesetFile, { fs, fetch });
  const spectral = new Spectral();
  spectral.setRuleset(ruleset);
  const text = readText(file, shown(file));
  const parser = /\.json$/i.test(file) ? Json : Yaml;
  const results = await spectral.run(new Document(text, parser, file));
  return results.map((r) => {
    const rule = ruleset.rules[r.code];
    const fix = rule?.description ?? (r.documentationUrl ? `see ${r.documentationUrl}` : `see the Spectral documentation of ${r.code}`);
    return {
      file: r.source ?? file,
      line: r.range.start.line + 1,
      col: r.range.start.character + 1,
      rule: String(r.code),
      path: dotted(r.path),
      message: r.message,
      fix,
      severity: SEVERITY[r.severity] ?? 'error',
    };
  });
}

function redoclyProblems(root, file) {
  const run = spawnSync(process.execPath, [packageBin('@redocly/cli', 'redocly'), 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json', '--max-problems', '1000'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: QUIET_ENV,
  });
  let report;
  try {
    report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  } catch {
    throw new UserError(`redocly lint did not report (exit ${run.status}):\n${run.stderr.trim()}`);
  }
  return report.problems.map((p) => {
    const where = p.location?.[0] ?? {};
    const pointer = (where.pointer ?? '#').replace(/^#\/?/, '');
    const path = pointer === '' ? [] : pointer.split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
    return {
      file: where.source?.ref ? resolve(root, where.source.ref) : file,
      line: where.start?.line ?? 1,
      col: where.start?.col ?? 1,
      rule: `redocly/${p.ruleId}`,
      path: dotted(path),
      message: p.message,
      fix: p.reference ? `see ${p.reference}` : 'see the Redocly rule documentation',
      severity: p.severity === 'warn' ? 'warning' : p.severity,
    };
  });
}

/**
 * The JSON path a generator message is about. Messages name it in two shapes:
 *   attribute paths.'/referrals'(get).[bad].type is missing   ([name] = the parameter called name)
 *   Unused model: Foo
 */
function generatorPath(message, spec) {
  const unused = /^Unused model: (\S+)/.exec(message);
  if (unused) return ['definitions', unused[1]];
  const attr = /^attribute (\S+)/.exec(message);
  if (!attr) return [];
  const out = [];
  const text = attr[1];
  const op = /^paths\.'([^']+)'\((\w+)\)\.?(.*)$/.exec(text);
  let rest = text;
  if (op) {
    out.push('paths', op[1], op[2]);
    rest = op[3];
  }
  for (const seg of rest.split('.').filter(Boolean)) {
    const param = /^\[(.+)\]$/.exec(seg);
    if (param) {
      const params = out.reduce((node, key) => node?.[key], spec)?.parameters ?? [];
      const index = params.findIndex((p) => p?.name === param[1]);
      out.push('parameters', ...(index >= 0 ? [String(index)] : []));
      if (index < 0) break;
    } else {
      out.push(seg);
    }
  }
  // Keep the longest prefix that exists: "… is missing" names a key that is not there.
  let node = spec;
  let found = 0;
  for (const key of out) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) break;
    node = node[key];
    found++;
  }
  return out.slice(0, found);
}

/** Line and column of the JSON path in the YAML/JSON document (1-based), or 1:1. */
function locate(doc, lineCounter, path) {
  for (let n = path.length; n >= 0; n--) {
    // YAMLSeq takes digit strings as indexes, so the JSON path works as it is.
    const node = doc.getIn(path.slice(0, n), true);
    const offset = node?.range?.[0];
    if (offset !== undefined) return lineCounter.linePos(offset);
  }
  return { line: 1, col: 1 };
}

/**
 * `openapi-generator-cli validate --recommend` on the bundled spec (the lint target as one JSON
 * document); its errors and its warnings (recommendations, e.g. an unused model) both fail lint.
 */
function generatorProblems(file) {
  const text = readText(file, shown(file));
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) return []; // Spectral already reports the syntax error with its position.
  const spec = doc.toJS({ maxAliasCount: 1000 });
  const found = orSkipOutsideCi('lint (openapi-generator validate)', () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'pcr-validate-'));
    try {
      const bundled = join(dir, 'spec.json');
      fs.writeFileSync(bundled, canonicalJson(spec));
      const r = runGenerator(['validate', '-i', bundled, '--recommend'], { purpose: 'to validate the spec with OpenAPI Generator' });
      return { ...r, output: `${r.stdout}\n${r.stderr}` };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  if (!found) return null; // skipped (Java missing outside CI): the summary must not claim it ran
  const problems = [];
  let severity;
  for (const line of found.output.split('\n')) {
    if (/^\s*Errors:/.test(line)) severity = 'error';
    else if (/^\s*Warnings:/.test(line)) severity = 'warning';
    const item = /^\s+- (.+)$/.exec(line);
    if (!item || !severity) continue;
    const path = generatorPath(item[1].trim(), spec);
    const { line: l, col } = locate(doc, lineCounter, path);
    problems.push({
      file,
      line: l,
      col,
      rule: 'openapi-generator/validate',
      path: dotted(path),
      message: item[1].trim(),
      fix: `correct the spec at this location; client generators (OpenAPI Generator ${found.version}) read it as reported`,
      severity,
    });
  }
  if (found.status !== 0 && !problems.some((p) => p.severity === 'error')) {
    throw new UserError(`openapi-generator-cli validate failed (exit ${found.status}) without a listed problem:\n${found.output.trim()}`);
  }
  return problems;
}

async function main() {
  const { root, positionals, 'allow-warnings': allowWarnings } = parseCli(process.argv.slice(2), { flags: ['allow-warnings'], positionals: true });
  if (positionals.length > 1) throw new UserError(`lint takes one spec file, got ${positionals.length}.\nFix: run \`node scripts/lint.mjs [file]\`.`);
  const file = resolve(positionals[0] ?? join(root, SPEC_FILE));
  if (!fs.existsSync(file)) throw new UserError(`${shown(file)}: file not found.\nFix: pass the path of a Swagger 2.0 file (default ${SPEC_FILE}).`);

  const generator = generatorProblems(file);
  const problems = [...(await spectralProblems(root, file)), ...redoclyProblems(root, file), ...(generator ?? [])];
  const checkers = `Spectral .spectral.yaml + Redocly redocly.yaml${generator ? ' + openapi-generator validate' : ''}`;
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule));
  for (const p of problems) {
    process.stdout.write(`${shown(p.file)}:${p.line}:${p.col} ${p.rule} ${p.path} — ${sentence(p.message)}. Fix: ${p.fix}\n`);
  }
  const count = (severity) => problems.filter((p) => p.severity === severity).length;
  const failing = count('error') + (allowWarnings ? 0 : count('warning'));
  const tally = `${count('error')} error(s) and ${count('warning')} warning(s) (${checkers})`;
  if (failing > 0) {
    process.stderr.write(`lint: ${shown(file)} has ${tally}.\n`);
    process.exit(1);
  }
  if (count('warning') > 0) {
    process.stderr.write(`lint: ${shown(file)} has ${tally}; passing, since --allow-warnings fails on errors only.\n`);
    return;
  }
  const notes = problems.length > 0 ? ` (${problems.length} info/hint)` : '';
  process.stdout.write(`lint: ${shown(file)} passes ${checkers} with no errors or warnings${notes}.\n`);
}

await runMain('lint', main);
