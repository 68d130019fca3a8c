// Loads the hand-written Swagger 2.0 spec (openapi/referrals.yaml) into the JSON object every
// other artefact is derived from. The YAML uses only local `#/...` $refs, so the "bundle" is
// the document itself; we keep the $refs (Power Platform and the other tools understand them)
// and check that each one resolves, so a typo fails here with its location instead of later.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import YAML from 'yaml';
import { UserError, canonicalJson, readText } from './util.mjs';

export const SPEC_FILE = 'openapi/referrals.yaml';
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function linePos(doc, node) {
  const range = node?.range;
  if (!range) return '';
  const { line, col } = doc.lineCounter.linePos(range[0]);
  return `:${line}:${col}`;
}

function decodePointer(ref) {
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Checks every $ref in the parsed YAML: local, and pointing at something that exists. */
function checkRefs(doc, root, label) {
  const problems = [];
  YAML.visit(doc, {
    Pair(_key, pair) {
      if (!YAML.isScalar(pair.key) || pair.key.value !== '$ref') return;
      const ref = YAML.isScalar(pair.value) ? pair.value.value : undefined;
      const where = `${label}${linePos(doc, pair.value ?? pair.key)}`;
      if (typeof ref !== 'string' || !ref.startsWith('#/')) {
        problems.push(`${where}: $ref ${JSON.stringify(ref)} is not a local reference ("#/...").\nFix: move the referenced schema into this file and point at it with "#/definitions/<Name>".`);
        return;
      }
      let target = root;
      for (const seg of decodePointer(ref)) {
        target = target !== null && typeof target === 'object' && Object.hasOwn(target, seg) ? target[seg] : undefined;
        if (target === undefined) break;
      }
      if (target === undefined) {
        problems.push(`${where}: $ref "${ref}" points at nothing.\nFix: correct the name or add the missing definition.`);
      }
    },
  });
  if (problems.length) throw new UserError(problems.join('\n'));
}

/**
 * Parses the spec. Returns { spec, json, file } where `spec` is the Swagger 2.0 object (keys in
 * the order written, except that integer-like keys such as response codes come first in
 * ascending order, as JavaScript objects always do) and `json` its canonical JSON text.
 */
export function loadSpec(root) {
  const file = join(root, SPEC_FILE);
  const text = readText(file, SPEC_FILE);
  const lineCounter = new YAML.LineCounter();
  // merge: the spec's `<<` merge keys (ReferralCreate reuses Referral's properties), which Spectral
  // and Redocly resolve too.
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  doc.lineCounter = lineCounter;
  const issues = [...doc.errors];
  if (issues.length) {
    const lines = issues.map((e) => {
      const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      return `${SPEC_FILE}:${pos.line}:${pos.col}: YAML ${e.code}: ${e.message.split('\n')[0]}`;
    });
    throw new UserError(`${lines.join('\n')}\nFix: correct the YAML syntax at that line and column.`);
  }
  const spec = doc.toJS({ maxAliasCount: 1000 });
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new UserError(`${SPEC_FILE}: the document is not a YAML mapping.\nFix: the file must be a Swagger 2.0 object starting with "swagger: '2.0'".`);
  }
  if (spec.swagger !== '2.0') {
    throw new UserError(`${SPEC_FILE}: "swagger" is ${JSON.stringify(spec.swagger)}, expected the string "2.0".\nFix: write swagger: '2.0' (quoted, so YAML keeps it a string).`);
  }
  checkRefs(doc, spec, SPEC_FILE);
  return { spec, json: canonicalJson(spec), file };
}

/** Every operation of the spec in document order: { operationId, method (upper case), path, operation }. */
export function listOperations(spec) {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      if (typeof operation.operationId !== 'string' || !operation.operationId) {
        throw new UserError(`${SPEC_FILE}: ${method.toUpperCase()} ${path} has no operationId.\nFix: add a unique PascalCase operationId.`);
      }
      ops.push({ operationId: operation.operationId, method: method.toUpperCase(), path, operation, pathItem: item });
    }
  }
  const seen = new Map();
  for (const op of ops) {
    const prev = seen.get(op.operationId);
    if (prev) {
      throw new UserError(`${SPEC_FILE}: operationId ${op.operationId} is used by both ${prev.method} ${prev.path} and ${op.method} ${op.path}.\nFix: make operationIds unique.`);
    }
    seen.set(op.operationId, op);
  }
  return ops;
}

const swagger2openapi = createRequire(import.meta.url)('swagger2openapi');

/** The spec as OpenAPI 3.0 (swagger2openapi; x-ms-* extensions kept). */
export async function toOpenApi3(spec) {
  try {
    // A JSON round trip, not structuredClone: YAML aliases leave shared objects, which the
    // converter rejects as "YAML anchor or merge key". patch: repair small slips it knows how to.
    // rbname: keep each body parameter's name (x-codegen-request-body-name), so generated clients
    // call it `body` as the Swagger 2.0 spec does, instead of a name derived from its schema.
    const { openapi } = await swagger2openapi.convertObj(JSON.parse(JSON.stringify(spec)), { patch: true, warnOnly: false, rbname: 'x-codegen-request-body-name' });
    return openapi;
  } catch (err) {
    throw new UserError(`${SPEC_FILE}: swagger2openapi cannot convert the spec: ${err.message}\nFix: correct the spec where the message points (run npm run lint for details).`);
  }
}
