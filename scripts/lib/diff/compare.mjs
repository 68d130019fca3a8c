// The comparison itself: two dereferenced connector definitions (and their apiProperties.json
// when both sides have one) in, a list of changes out, each of one rule of rules.mjs.
//
// Paths follow the certification check's "ValuePath" so that a change reads the same here as in
// a pull-request thread there: operation/<operationId>/parameter/<name>/schema/<property>/items/...
// for inputs, operation/<operationId>/responses/<code>/schema/<property>/... for outputs.
import { RULE_BY_ID, isBreaking } from './rules.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const is2xx = (code) => /^2\d\d$/.test(code);
const NOTIFICATION = 'x-ms-notification-content';
const OP_NAME = 'x-ms-apimTemplate-operationName';
const show = (v) => (v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));
/** JSON text with object keys sorted, so that reordered keys compare equal. */
const canonical = (v) =>
  JSON.stringify(v, (_k, x) => (isObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

/**
 * @typedef {{ class: string, level: string, breaking: boolean, operationId: string | null, path: string,
 *   message: string, fix: string, section: string, detail?: string }} Change
 */

/** @returns {Change} */
function makeChange(ruleId, operationId, path, detail) {
  const rule = RULE_BY_ID.get(ruleId);
  if (!rule) throw new Error(`unknown diff rule ${ruleId}`);
  const message = `${rule.title}${detail ? ` (${detail})` : ''}.${rule.consequence ? ` ${rule.consequence}` : ''}`;
  const change = { class: rule.id, level: rule.level, breaking: isBreaking(rule.level), operationId, path, message, fix: rule.fix, section: rule.section };
  if (detail) change.detail = detail;
  return change;
}

// ---------------------------------------------------------------------------------------------
// Schemas.

const flatMemo = new WeakMap();
/**
 * A schema with its allOf folded in (properties and required merged, own keywords last): the
 * shape the designer shows. Memoised so a shared schema keeps one identity (the pair memo below
 * depends on it); a cycle through allOf stops at the repeated schema.
 */
function flat(schema, seen = new Set()) {
  if (!isObject(schema) || !Array.isArray(schema.allOf)) return schema;
  const cached = flatMemo.get(schema);
  if (cached) return cached;
  if (seen.has(schema)) return schema;
  seen.add(schema);
  const merged = { properties: {}, required: [] };
  const { allOf, ...own } = schema;
  for (const part of [...allOf.map((p) => flat(p, seen)), own]) {
    if (!isObject(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isObject(value)) Object.assign(merged.properties, value);
      else if (key === 'required' && Array.isArray(value)) merged.required.push(...value.filter((r) => !merged.required.includes(r)));
      else if (key !== 'allOf') merged[key] = value;
    }
  }
  if (!Object.keys(merged.properties).length && !own.properties) delete merged.properties;
  if (!merged.required.length) delete merged.required;
  flatMemo.set(schema, merged);
  return merged;
}

const typeOf = (s) => (typeof s.type === 'string' ? s.type : s.type !== undefined ? JSON.stringify(s.type) : isObject(s.properties) ? 'object' : isObject(s.items) ? 'array' : undefined);
const visibility = (s) => (isObject(s) && typeof s['x-ms-visibility'] === 'string' ? s['x-ms-visibility'].toLowerCase() : undefined);
const isDynamic = (s) => 'x-ms-dynamic-schema' in s || 'x-ms-dynamic-properties' in s;
/**
 * Said of an input that became required: a default, hidden or not, reaches only the flows the
 * designer saves from now on (it writes the default into them); flows saved before do not send
 * the field ("Existing flows will not send this new field": the certification check,
 * microsoft/PowerPlatformConnectors#1890).
 */
const defaultNote = (s) => (isObject(s) && s.default !== undefined ? 'with a default, which flows saved before do not send' : undefined);

// keyword -> is the new value tighter than the old? (inputs only)
const LOWER = (o, n) => typeof n === 'number' && (typeof o !== 'number' || n < o);
const HIGHER = (o, n) => typeof n === 'number' && (typeof o !== 'number' || n > o);
const SET_TRUE = (o, n) => n === true && o !== true;
const NEW_VALUE = (o, n) => n !== undefined && n !== o;
const TIGHTER = {
  maxLength: LOWER, maxItems: LOWER, maximum: LOWER,
  minLength: HIGHER, minItems: HIGHER, minimum: HIGHER,
  pattern: NEW_VALUE, multipleOf: NEW_VALUE,
  exclusiveMaximum: SET_TRUE, exclusiveMinimum: SET_TRUE, uniqueItems: SET_TRUE,
};

// An input format that accepts every value the old one did: none at all, a wider number, or a
// format that constrains no value (password masks the field, html picks the designer's editor,
// and the wild holds made-up ones).
const VALUE_FORMATS = new Set(['int32', 'int64', 'float', 'double', 'byte', 'binary', 'date', 'date-time', 'time', 'duration', 'uuid', 'email', 'uri', 'hostname', 'ipv4', 'ipv6']);
const WIDER = { int32: ['int64'], float: ['double'] };
const inputFormatHarmless = (o, n) => n === undefined || !VALUE_FORMATS.has(n) || (WIDER[o] ?? []).includes(n);
/** A schema that declares anything a flow can bind to (not just `{}` or a description). */
const declaresOutput = (s) => isObject(s) && Object.keys(s).some((k) => !['description', 'title', 'x-ms-summary', 'example', 'x-ms-visibility'].includes(k));

const enumKeys = (values) => new Map(values.map((v) => [JSON.stringify(v), v]));
const listValues = (values) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

class SchemaComparer {
  constructor() {
    // direction -> old schema -> new schema -> relative changes; a pair is compared once however
    // many operations share it.
    this.memo = { in: new WeakMap(), out: new WeakMap() };
    this.onStack = { in: new WeakMap(), out: new WeakMap() };
  }

  /**
   * Changes between two schemas as [{ rule, rel: string[], detail }], `rel` relative to them.
   * `dir` is "in" for request inputs, "out" for outputs: what breaks a flow differs (a new
   * required field breaks inputs, a deleted field outputs).
   */
  compare(oldRaw, newRaw, dir) {
    const o = flat(oldRaw);
    const n = flat(newRaw);
    if (!isObject(o) || !isObject(n) || o === n) return [];
    const memo = this.memo[dir];
    let row = memo.get(o);
    if (!row) memo.set(o, (row = new WeakMap()));
    const cached = row.get(n);
    if (cached) return cached;
    let stackRow = this.onStack[dir].get(o);
    if (!stackRow) this.onStack[dir].set(o, (stackRow = new WeakSet()));
    // A recursive schema meets itself again: its changes are reported at the first level.
    if (stackRow.has(n)) return [];
    stackRow.add(n);
    const found = this.#node(o, n, dir);
    stackRow.delete(n);
    row.set(n, found);
    return found;
  }

  #node(o, n, dir) {
    const found = [];
    const add = (rule, rel, detail) => found.push({ rule, rel, detail });
    if (isDynamic(o) || isDynamic(n)) return found;
    const input = dir === 'in';

    if (input && visibility(o) !== 'internal' && visibility(n) === 'internal') add('input-hidden', ['x-ms-visibility'], `was ${visibility(o) ?? 'default'}`);

    const [to, tn] = [typeOf(o), typeOf(n)];
    if (to !== undefined && tn !== undefined && to !== tn) {
      const widening = input ? to === 'integer' && tn === 'number' : to === 'number' && tn === 'integer';
      if (!widening) {
        add(input ? 'input-type-changed' : 'output-type-changed', ['type'], `${to} → ${tn}`);
        return found; // below a changed type, the old fields mean something else
      }
    }

    if (o.format !== n.format && !(input && inputFormatHarmless(o.format, n.format))) {
      add(input ? 'input-format-changed' : 'output-format-changed', ['format'], `${show(o.format)} → ${show(n.format)}`);
    }

    const [eo, en] = [Array.isArray(o.enum) ? enumKeys(o.enum) : undefined, Array.isArray(n.enum) ? enumKeys(n.enum) : undefined];
    if (input) {
      if (!eo && en) add('input-enum-added', ['enum'], listValues([...en.values()]));
      if (eo && en) {
        const removed = [...eo.keys()].filter((k) => !en.has(k)).map((k) => eo.get(k));
        const added = [...en.keys()].filter((k) => !eo.has(k)).map((k) => en.get(k));
        if (removed.length) add('input-enum-value-removed', ['enum'], `removed: ${listValues(removed)}`);
        if (added.length) add('input-enum-value-added', ['enum'], `added: ${listValues(added)}`);
      }
      for (const [keyword, tighter] of Object.entries(TIGHTER)) {
        if (tighter(o[keyword], n[keyword])) add('input-constraint-tightened', [keyword], `${keyword} ${show(n[keyword])}, was ${show(o[keyword])}`);
      }
    } else {
      if (eo && !en) add('output-enum-removed', ['enum'], `was ${listValues([...eo.values()])}`);
      if (eo && en) {
        const added = [...en.keys()].filter((k) => !eo.has(k)).map((k) => en.get(k));
        if (added.length) add('output-enum-value-added', ['enum'], `added: ${listValues(added)}`);
      }
    }

    const po = isObject(o.properties) ? o.properties : {};
    const pn = isObject(n.properties) ? n.properties : {};
    const ro = new Set(Array.isArray(o.required) ? o.required : []);
    const rn = new Set(Array.isArray(n.required) ? n.required : []);
    for (const [name, oldProp] of Object.entries(po)) {
      const newProp = pn[name];
      const readOnlyBefore = isObject(oldProp) && oldProp.readOnly === true;
      if (newProp === undefined) {
        if (input && !readOnlyBefore) add('input-deleted', [name]);
        else if (!input) add('output-field-deleted', [name]);
        continue;
      }
      if (input) {
        if (readOnlyBefore) continue; // never an input
        if (isObject(newProp) && newProp.readOnly === true) {
          add('input-deleted', [name], 'now read-only');
          continue;
        }
        if (!ro.has(name) && rn.has(name)) add('input-made-required', [name], defaultNote(flat(newProp)));
        if (ro.has(name) && !rn.has(name)) add('input-made-optional', [name]);
      } else if (ro.has(name) && !rn.has(name)) {
        add('output-made-optional', [name]);
      }
      for (const c of this.compare(oldProp, newProp, dir)) add(c.rule, [name, ...c.rel], c.detail);
    }
    for (const [name, newProp] of Object.entries(pn)) {
      if (name in po) continue;
      if (input) {
        if (isObject(newProp) && newProp.readOnly === true) continue;
        add(rn.has(name) ? 'required-input-added' : 'input-added', [name], rn.has(name) ? defaultNote(flat(newProp)) : undefined);
      } else {
        add('output-field-added', [name]);
      }
    }

    if (isObject(o.items) && isObject(n.items)) {
      for (const c of this.compare(o.items, n.items, dir)) add(c.rule, ['items', ...c.rel], c.detail);
    }
    return found;
  }
}

// ---------------------------------------------------------------------------------------------
// Operations.

const paramKey = (p) => (p.in === 'body' ? 'body' : p.in === 'header' ? `header:${String(p.name).toLowerCase()}` : `${p.in}:${p.name}`);

/** Path-level parameters, overridden by operation-level ones with the same name and location. */
function mergeParams(pathLevel, opLevel) {
  const params = new Map();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) if (isObject(p) && typeof p.in === 'string') params.set(paramKey(p), p);
  }
  return params;
}

/** Operations by operationId (or "METHOD path" when it has none), in document order. */
function operationsOf(definition, notes, label) {
  const ops = new Map();
  for (const [path, item] of Object.entries(isObject(definition.paths) ? definition.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const id = typeof op.operationId === 'string' && op.operationId ? op.operationId : `${method.toUpperCase()} ${path}`;
      if (ops.has(id)) {
        notes.push(`${label}: operationId ${id} is used twice; ${method.toUpperCase()} ${path} is not compared`);
        continue;
      }
      ops.set(id, { id, method: method.toUpperCase(), path, op, item, params: mergeParams(item.parameters, op.parameters) });
    }
  }
  return ops;
}

/** A webhook trigger's output: x-ms-notification-content on the operation or, as Microsoft's webhook examples put it, on its path item. */
const notificationOf = (o) => (isObject(o.op[NOTIFICATION]) ? o.op[NOTIFICATION] : isObject(o.item[NOTIFICATION]) ? o.item[NOTIFICATION] : undefined);
const isWebhook = (o) =>
  (o.op['x-ms-trigger'] !== undefined && notificationOf(o) !== undefined) ||
  [...o.params.values()].some((p) => p['x-ms-notification-url'] === true || p['x-ms-notification-url'] === 'true');
const roleOf = (o) => (isWebhook(o) ? 'webhook trigger' : o.op['x-ms-trigger'] !== undefined ? 'polling trigger' : 'action');

/** Responses plus the webhook notification content, which is a trigger's output. */
function outputsOf(o) {
  const responses = isObject(o.op.responses) ? { ...o.op.responses } : {};
  const notification = notificationOf(o);
  if (notification) responses[NOTIFICATION] = notification;
  return responses;
}

// ---------------------------------------------------------------------------------------------
// apiProperties.json and security.

const cpRequired = (cp) => {
  const r = cp?.uiDefinition?.constraints?.required;
  return r === true || r === 'true';
};

/** Policy instances per operation: Map op -> Map templateId -> sorted list of canonical parameter texts. '*' holds connector-wide ones. */
function policiesOf(apiProperties) {
  const byOp = new Map();
  const instances = apiProperties?.properties?.policyTemplateInstances;
  for (const inst of Array.isArray(instances) ? instances : []) {
    if (!isObject(inst) || typeof inst.templateId !== 'string') continue;
    const params = isObject(inst.parameters) ? inst.parameters : {};
    const { [OP_NAME]: names, ...rest } = params;
    const ops = Array.isArray(names) && names.length ? names : typeof names === 'string' ? [names] : ['*'];
    const text = canonical(rest);
    const id = inst.templateId.toLowerCase();
    for (const op of ops) {
      if (!byOp.has(op)) byOp.set(op, new Map());
      const t = byOp.get(op);
      if (!t.has(id)) t.set(id, []);
      t.get(id).push(text);
    }
  }
  for (const t of byOp.values()) for (const list of t.values()) list.sort();
  return byOp;
}

const scriptOperations = (apiProperties) => new Set(Array.isArray(apiProperties?.properties?.scriptOperations) ? apiProperties.properties.scriptOperations : []);

// ---------------------------------------------------------------------------------------------

/**
 * Compares two sides (as loadSide returns them). Returns { changes, notes, comparedApiProperties }.
 */
export function diffConnectors(oldSide, newSide) {
  const notes = [...oldSide.notes.map((n) => `old side: ${n}`), ...newSide.notes.map((n) => `new side: ${n}`)];
  /** @type {Change[]} */
  const changes = [];
  const emit = (rule, operationId, path, detail) => changes.push(makeChange(rule, operationId, path, detail));
  const schemas = new SchemaComparer();
  const emitSchema = (dir, operationId, prefix, o, n) => {
    for (const c of schemas.compare(o, n, dir)) emit(c.rule, operationId, [prefix, ...c.rel].join('/'), c.detail);
  };

  compareSecurity(oldSide.definition, newSide.definition, emit);
  const withProps = Boolean(oldSide.apiProperties && newSide.apiProperties);
  if (!withProps && (oldSide.apiProperties || newSide.apiProperties)) {
    notes.push(`apiProperties.json not compared: only the ${oldSide.apiProperties ? 'old' : 'new'} side has one`);
  }
  if (withProps) compareConnectionParameters(oldSide.apiProperties, newSide.apiProperties, emit);

  const oldOps = operationsOf(oldSide.definition, notes, 'old side');
  const newOps = operationsOf(newSide.definition, notes, 'new side');
  const newByRoute = new Map([...newOps.values()].map((n) => [`${n.method} ${n.path}`, n]));
  const renamedTo = new Set();

  for (const [id, o] of oldOps) {
    const n = newOps.get(id);
    if (!n) {
      const successor = newByRoute.get(`${o.method} ${o.path}`);
      if (successor && !oldOps.has(successor.id)) {
        renamedTo.add(successor.id);
        emit('operation-renamed', id, `operation/${id}`, `now ${successor.id}`);
      } else {
        const was = [o.op.deprecated === true && 'it was deprecated', visibility(o.op) === 'internal' && 'it was internal'].filter(Boolean).join(', ');
        emit('operation-deleted', id, `operation/${id}`, was || undefined);
      }
      continue;
    }
    compareOperation(o, n, emit, emitSchema);
  }
  for (const [id, n] of newOps) {
    if (!oldOps.has(id) && !renamedTo.has(id)) emit('operation-added', id, `operation/${id}`, `${n.method} ${n.path}`);
  }

  if (withProps) comparePolicies(oldSide.apiProperties, newSide.apiProperties, oldOps, newOps, emit);
  return { changes: dedupe(changes), notes, comparedApiProperties: withProps };
}

/** One change per (class, path): a schema shared by two parameters of one operation reports once. */
function dedupe(changes) {
  const seen = new Set();
  return changes.filter((c) => {
    const key = `${c.class} ${c.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareOperation(o, n, emit, emitSchema) {
  const id = o.id;
  const base = `operation/${id}`;
  if (o.path !== n.path) emit('path-template-changed', id, base, `${o.path} → ${n.path}`);
  if (o.method !== n.method) emit('method-changed', id, `${base}/method`, `${o.method} → ${n.method}`);
  if (visibility(o.op) !== 'internal' && visibility(n.op) === 'internal') emit('operation-hidden', id, `${base}/x-ms-visibility`, `was ${visibility(o.op) ?? 'default'}`);
  if (o.op.deprecated !== true && n.op.deprecated === true) emit('operation-deprecated', id, `${base}/deprecated`);

  const [ro, rn] = [roleOf(o), roleOf(n)];
  if (ro !== rn) emit('trigger-changed', id, `${base}/x-ms-trigger`, `${ro} → ${rn}`);
  else if (ro !== 'action' && o.op['x-ms-trigger'] !== n.op['x-ms-trigger']) {
    emit('trigger-kind-changed', id, `${base}/x-ms-trigger`, `${show(o.op['x-ms-trigger'])} → ${show(n.op['x-ms-trigger'])}`);
  }

  compareParameters(o, n, emit, emitSchema);

  const [outO, outN] = [outputsOf(o), outputsOf(n)];
  // Success outputs: the 2xx responses, or `default` when there is none (beside a 2xx, `default`
  // describes the errors), plus a webhook's notification content.
  const successOf = (out) => {
    const codes = Object.keys(out);
    const ok = codes.some(is2xx) ? codes.filter(is2xx).sort() : codes.filter((c) => c === 'default');
    return new Set(codes.includes(NOTIFICATION) ? [...ok, NOTIFICATION] : ok);
  };
  const [okO, okN] = [successOf(outO), successOf(outN)];
  // A success code replaced by another (default -> 200, 200 -> 201) keeps the outputs flows bind
  // to (they read the body, not the code): pair them and compare the schemas across.
  const replacements = [...okN].filter((c) => !(c in outO) && c !== NOTIFICATION);
  const counterpart = new Map();
  for (const code of [...okO].filter((c) => !(c in outN) && c !== NOTIFICATION)) {
    if (replacements.length) counterpart.set(code, replacements.shift());
  }
  for (const [code, respO] of Object.entries(outO)) {
    const success = okO.has(code);
    const replaced = counterpart.get(code);
    const newCode = code in outN ? code : replaced;
    const respN = newCode === undefined ? undefined : outN[newCode];
    if (respN === undefined) {
      emit(success ? 'response-code-removed' : 'error-response-removed', id, `${base}/responses/${code}`);
      continue;
    }
    const at = `${base}/responses/${newCode}`;
    if (replaced) emit('success-code-changed', id, at, `${code} → ${replaced}`);
    if (!success || !okN.has(newCode) || !isObject(respO) || !isObject(respN)) continue;
    if (declaresOutput(respO.schema) && !isObject(respN.schema)) emit('output-field-deleted', id, `${at}/schema`, 'the response has no schema any more');
    else if (isObject(respO.schema)) emitSchema('out', id, `${at}/schema`, respO.schema, respN.schema);
    const [ho, hn] = [isObject(respO.headers) ? respO.headers : {}, isObject(respN.headers) ? respN.headers : {}];
    const hnLower = new Map(Object.entries(hn).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [name, header] of Object.entries(ho)) {
      const other = hnLower.get(name.toLowerCase());
      if (other === undefined) emit('output-field-deleted', id, `${at}/headers/${name}`);
      else emitSchema('out', id, `${at}/headers/${name}`, header, other);
    }
    const hoLower = new Set(Object.keys(ho).map((k) => k.toLowerCase()));
    for (const name of Object.keys(hn)) if (!hoLower.has(name.toLowerCase())) emit('output-field-added', id, `${at}/headers/${name}`);
  }
  const paired = new Set(counterpart.values());
  for (const code of Object.keys(outN)) if (!(code in outO) && !paired.has(code)) emit('response-code-added', id, `${base}/responses/${code}`);
}

function compareParameters(o, n, emit, emitSchema) {
  const id = o.id;
  const at = (p) => `operation/${id}/parameter/${p.name}`;
  const newByName = new Map();
  for (const p of n.params.values()) if (p.in !== 'body') newByName.set(String(p.name).toLowerCase(), p);
  const moved = new Set();
  for (const [key, po] of o.params) {
    let pn = n.params.get(key);
    if (pn === undefined && po.in !== 'body') {
      const elsewhere = newByName.get(String(po.name).toLowerCase());
      if (elsewhere && !o.params.has(paramKey(elsewhere))) {
        emit('parameter-location-changed', id, at(po), `${po.in} → ${elsewhere.in}`);
        moved.add(paramKey(elsewhere));
        pn = elsewhere;
      }
    }
    if (pn === undefined) {
      emit('input-deleted', id, at(po));
      continue;
    }
    if (po.in === 'body' && pn.name !== po.name) emit('input-deleted', id, at(po), `the body parameter is now called "${pn.name}"`);
    if (po.required !== true && pn.required === true) emit('input-made-required', id, at(pn), defaultNote(pn));
    if (po.required === true && pn.required !== true) emit('input-made-optional', id, at(pn));
    if (po.in === 'body') emitSchema('in', id, `${at(pn)}/schema`, po.schema, pn.schema);
    else emitSchema('in', id, at(pn), po, pn);
  }
  for (const [key, pn] of n.params) {
    if (o.params.has(key) || moved.has(key) || (pn.in === 'body' && o.params.has('body'))) continue;
    if (pn.required === true) emit('required-input-added', id, at(pn), defaultNote(pn));
    else emit('input-added', id, at(pn));
  }
}

/** Scope names of an oauth2 definition; a key may hold several, space-separated (seen in the corpus). */
const scopesOf = (def) => new Set(Object.keys(isObject(def.scopes) ? def.scopes : {}).flatMap((k) => k.split(/\s+/).filter(Boolean)));

function compareSecurity(oldDef, newDef, emit) {
  const so = isObject(oldDef.securityDefinitions) ? oldDef.securityDefinitions : {};
  const sn = isObject(newDef.securityDefinitions) ? newDef.securityDefinitions : {};
  // A definition renamed with the same type is the same connection: the connection parameter is
  // named after the type, not the key (in the 504-package corpus, apiKey -> api_key in 180
  // packages and oauth2 -> token in 120, whatever the key), so match it by type.
  const pairs = [];
  const unmatchedNew = Object.keys(sn).filter((name) => !(name in so));
  for (const [name, o] of Object.entries(so)) {
    if (name in sn) {
      pairs.push([name, o, sn[name]]);
    } else {
      const i = unmatchedNew.findIndex((other) => isObject(o) && sn[other]?.type === o.type);
      if (i < 0) emit('connection-parameters-changed', null, `securityDefinitions/${name}`, 'removed');
      else {
        const other = unmatchedNew.splice(i, 1)[0];
        pairs.push([other, o, sn[other]]);
      }
    }
  }
  for (const [name, o, n] of pairs) {
    if (!isObject(o) || !isObject(n)) continue;
    const at = `securityDefinitions/${name}`;
    // Not authorizationUrl: only a new sign-in visits it; existing connections refresh their
    // tokens at tokenUrl.
    for (const key of ['type', 'in', 'name', 'flow', 'tokenUrl']) {
      if (o[key] !== n[key]) emit('connection-parameters-changed', null, `${at}/${key}`, `${show(o[key])} → ${show(n[key])}`);
    }
    const before = scopesOf(o);
    const added = [...scopesOf(n)].filter((sc) => !before.has(sc));
    if (added.length) emit('oauth-scope-changed', null, `${at}/scopes`, `added: ${added.join(', ')}`);
  }
  for (const name of unmatchedNew) emit('connection-parameters-changed', null, `securityDefinitions/${name}`, 'added');
}

function compareConnectionParameters(oldProps, newProps, emit) {
  const co = isObject(oldProps.properties.connectionParameters) ? oldProps.properties.connectionParameters : {};
  const cn = isObject(newProps.properties.connectionParameters) ? newProps.properties.connectionParameters : {};
  for (const [name, o] of Object.entries(co)) {
    const at = `apiProperties/connectionParameters/${name}`;
    const n = cn[name];
    if (!isObject(n)) {
      emit('connection-parameters-changed', null, at, 'removed');
      continue;
    }
    if (o.type !== n.type) emit('connection-parameters-changed', null, `${at}/type`, `${show(o.type)} → ${show(n.type)}`);
    if (!cpRequired(o) && cpRequired(n)) emit('connection-parameters-changed', null, `${at}/uiDefinition/constraints/required`, 'now required');
    const [ao, an] = [isObject(o.oAuthSettings) ? o.oAuthSettings : {}, isObject(n.oAuthSettings) ? n.oAuthSettings : {}];
    for (const key of ['identityProvider', 'clientId']) {
      if (ao[key] !== an[key]) emit('connection-parameters-changed', null, `${at}/oAuthSettings/${key}`, `${show(ao[key])} → ${show(an[key])}`);
    }
    for (const key of ['loginUri', 'tenantId']) {
      const [vo, vn] = [ao.customParameters?.[key]?.value, an.customParameters?.[key]?.value];
      if (vo !== vn) emit('connection-parameters-changed', null, `${at}/oAuthSettings/customParameters/${key}`, `${show(vo)} → ${show(vn)}`);
    }
    const [so, sn] = [Array.isArray(ao.scopes) ? ao.scopes : [], Array.isArray(an.scopes) ? an.scopes : []];
    const added = sn.filter((s) => !so.includes(s));
    if (added.length) emit('oauth-scope-changed', null, `${at}/oAuthSettings/scopes`, `added: ${added.join(', ')}`);
    const [rO, rN] = [ao.customParameters?.resourceUri?.value, an.customParameters?.resourceUri?.value];
    if (rO !== rN) emit('oauth-scope-changed', null, `${at}/oAuthSettings/customParameters/resourceUri`, `${show(rO)} → ${show(rN)}`);
    const [aadO, aadN] = [ao.properties?.AzureActiveDirectoryResourceId, an.properties?.AzureActiveDirectoryResourceId];
    if (aadO !== aadN) emit('oauth-scope-changed', null, `${at}/oAuthSettings/properties/AzureActiveDirectoryResourceId`, `${show(aadO)} → ${show(aadN)}`);
  }
  for (const [name, n] of Object.entries(cn)) {
    if (name in co) continue;
    emit(cpRequired(n) ? 'connection-parameters-changed' : 'connection-parameter-added', null, `apiProperties/connectionParameters/${name}`, cpRequired(n) ? 'a required one added' : undefined);
  }
}

function comparePolicies(oldProps, newProps, oldOps, newOps, emit) {
  const [po, pn] = [policiesOf(oldProps), policiesOf(newProps)];
  const [so, sn] = [scriptOperations(oldProps), scriptOperations(newProps)];
  // Operations that still exist: a deleted operation's policies go with it.
  const ops = [...oldOps.keys()].filter((id) => newOps.has(id));
  for (const id of ['*', ...ops]) {
    const [to, tn] = [po.get(id) ?? new Map(), pn.get(id) ?? new Map()];
    const base = id === '*' ? 'apiProperties/policy' : `operation/${id}/policy`;
    const opId = id === '*' ? null : id;
    for (const [template, list] of to) {
      const other = tn.get(template);
      if (!other) emit(opId && sn.has(opId) ? 'policy-moved-to-code' : 'policy-removed', opId, `${base}/${template}`);
      else if (JSON.stringify(list) !== JSON.stringify(other)) emit('policy-changed', opId, `${base}/${template}`, describePolicyChange(list, other));
    }
    for (const template of tn.keys()) if (!to.has(template)) emit('policy-added', opId, `${base}/${template}`);
  }
  for (const id of newOps.keys()) {
    if (so.has(id) !== sn.has(id)) emit('custom-code-changed', id, `operation/${id}/scriptOperations`, sn.has(id) ? 'now runs custom code' : 'no longer runs custom code');
  }
}

/** The parameters that differ, for the message: "x-ms-apimTemplateParameter.newPath: /a → /b". */
function describePolicyChange(before, after) {
  if (before.length !== 1 || after.length !== 1) return `${before.length} instance(s) → ${after.length}`;
  const [a, b] = [JSON.parse(before[0]), JSON.parse(after[0])];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: ${show(a[k])} → ${show(b[k])}`)
    .join('; ');
}
