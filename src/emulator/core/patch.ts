/**
 * JSON Patch as the Referrals API accepts it: only `add` and `replace`, only on paths the API
 * lets clients write, applied with fast-json-patch to a copy so that a rejected patch leaves
 * the stored referral untouched.
 *
 * Writable paths come from the spec: every field of the Referral schema that is not read-only,
 * at any depth (array items by index, `-` to append with `add`), except `engagementId` (a
 * referral's engagement is fixed). Deal registrations are the one read-only field with a write
 * path: `add /registrations/-` creates the (single) registration, and non-read-only fields under
 * `/registrations/0/...` update it.
 *
 * Like the service, which binds patches to a typed model where every declared field exists,
 * `replace` on a declared field that is absent from the document sets it (RFC 6902 would fail).
 */
import jsonpatch from 'fast-json-patch';
import { ApiError, badRequest } from './errors.js';
import type { SchemaModel, SchemaNode } from './schema-model.js';
import { isTerminalRegistration } from './transitions.js';
import { checkValue, writableCopy } from './validate.js';

export interface PatchOp {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

/** Fields whose schema is writable but that a patch must not change. */
const FIXED_FIELDS = new Set(['engagementId']);

const SUPPORTED_OPS = ['add', 'replace'] as const;

type Target = { kind: 'field'; schema: SchemaNode } | { kind: 'registrationAdd'; schema: SchemaNode } | { kind: 'registrationEdit'; schema: SchemaNode };

const opError = (index: number, problem: string, code = 'InvalidPatchOperation') => badRequest(code, `Patch operation ${index}: ${problem}.`);

const isIndex = (s: string) => /^(0|[1-9]\d{0,8})$/.test(s);

/** Checks the shape of the body: a non-empty array of {op, path, value} objects. */
export function parsePatchDocument(body: unknown): PatchOp[] {
  if (!Array.isArray(body)) {
    throw badRequest('InvalidPatchDocument', 'The body must be a JSON Patch array such as [{"op":"replace","path":"/status","value":"Active"}].');
  }
  if (body.length === 0) throw badRequest('InvalidPatchDocument', 'The JSON Patch array is empty; send at least one operation.');
  return body.map((raw, i): PatchOp => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw opError(i, 'must be an object with op, path and value');
    const o = raw as Record<string, unknown>;
    if (typeof o.op !== 'string') throw opError(i, "'op' is missing or not a string");
    if (!(SUPPORTED_OPS as readonly string[]).includes(o.op)) {
      throw opError(i, `'${o.op}' is not supported; only add and replace are`, 'UnsupportedPatchOperation');
    }
    if (typeof o.path !== 'string') throw opError(i, "'path' is missing or not a string");
    if (!o.path.startsWith('/')) throw opError(i, `path '${o.path}' must start with '/'`);
    if (!('value' in o) || o.value === undefined) throw opError(i, `'value' is required for ${o.op}`);
    return { op: o.op as PatchOp['op'], path: o.path, value: o.value };
  });
}

function segmentsOf(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Walks `segments` from `start`, rejecting unknown and read-only steps. */
function walk(model: SchemaModel, start: SchemaNode, segments: string[], op: PatchOp, index: number): SchemaNode {
  let node = start;
  segments.forEach((segment, i) => {
    const kind = model.kind(node);
    const last = i === segments.length - 1;
    if (kind === 'array') {
      if (segment === '-' ? !(last && op.op === 'add') : !isIndex(segment)) {
        throw opError(index, `'${segment}' in '${op.path}' is not an array index${last && op.op === 'add' ? " or '-'" : ''}`, 'InvalidPatchPath');
      }
      node = model.items(node);
      return;
    }
    const next = kind === 'object' || kind === 'any' ? model.property(node, segment) : undefined;
    if (!next) throw opError(index, `'${op.path}' is not a field of the referral ('${segment}' is unknown)`, 'InvalidPatchPath');
    if (next.readOnly) throw opError(index, `'${op.path}' is read-only and cannot be changed`, 'ReadOnlyPatchPath');
    node = next;
  });
  return node;
}

function target(model: SchemaModel, root: SchemaNode, op: PatchOp, index: number): Target {
  const segments = segmentsOf(op.path);
  const [first, second] = segments;
  if (!first) throw opError(index, 'the whole referral cannot be replaced; patch its fields', 'InvalidPatchPath');
  if (first === 'registrations') {
    const registration = model.items(model.property(root, 'registrations') ?? {});
    if (segments.length === 2 && second === '-' && op.op === 'add') return { kind: 'registrationAdd', schema: registration };
    if (second === '0' && segments.length >= 3) return { kind: 'registrationEdit', schema: walk(model, registration, segments.slice(2), op, index) };
    throw opError(index, `'${op.path}' cannot be changed; add a registration with add /registrations/- or change fields under /registrations/0/`, 'ReadOnlyPatchPath');
  }
  if (FIXED_FIELDS.has(first)) throw opError(index, `'/${first}' cannot be changed`, 'ReadOnlyPatchPath');
  return { kind: 'field', schema: walk(model, root, segments, op, index) };
}

/**
 * What a patch can be refused for before the referral is read: a path that is no writable field
 * of the Referral schema, or a value that does not fit the field it writes. Both depend on the
 * spec alone, so they are 400s whatever the referral's state or the request's If-Match.
 */
export function checkPatchOperations(ops: PatchOp[], model: SchemaModel, root: SchemaNode): void {
  ops.forEach((op, index) => {
    const { schema } = target(model, root, op, index);
    const problem = checkValue(schema, writableCopy(op.value, schema, model), `referral${op.path}`);
    if (problem) throw badRequest('InvalidReferral', `Patch operation ${index} (${op.op} ${op.path}): the change would make the referral invalid: ${problem}.`);
  });
}

export interface PatchOutcome {
  document: Record<string, unknown>;
  /** Whether the patch created the registration (its server fields still to fill). */
  addedRegistration: boolean;
  /** The JSON Pointer each operation wrote, `-` resolved to the index it appended at. */
  written: string[];
}

/**
 * The operation to blame for a problem found at `pointer` in the patched document: the last
 * one that wrote there or above it. Undefined when no operation touched that part.
 */
export function operationAt(written: readonly string[], pointer: string): number | undefined {
  for (let i = written.length - 1; i >= 0; i--) {
    const w = written[i]!;
    if (pointer === w || pointer.startsWith(`${w}/`)) return i;
  }
  return undefined;
}

/**
 * Applies the operations to a copy of `current` and returns it; throws a 4xx ApiError (naming
 * the operation) on any rule the patch breaks. `current` is never modified.
 */
export function applyReferralPatch(current: Record<string, unknown>, ops: PatchOp[], model: SchemaModel, root: SchemaNode): PatchOutcome {
  const registrations = Array.isArray(current.registrations) ? current.registrations : [];
  const prepared: PatchOp[] = [];
  let addedRegistration = false;
  ops.forEach((op, index) => {
    const t = target(model, root, op, index);
    if (t.kind === 'registrationAdd') {
      if (registrations.length > 0 || addedRegistration) {
        const advice = isTerminalRegistration(registrations[0])
          ? `it is ${String((registrations[0] as Record<string, unknown>).status)}, a terminal status, so no further action is allowed`
          : 'change it under /registrations/0/';
        throw new ApiError(409, 'RegistrationExists', `Patch operation ${index}: the referral already has a deal registration; ${advice}.`);
      }
      addedRegistration = true;
    }
    if (t.kind === 'registrationEdit' && isTerminalRegistration(registrations[0])) {
      const status = String((registrations[0] as Record<string, unknown>).status);
      throw new ApiError(409, 'RegistrationIsTerminal', `Patch operation ${index}: the deal registration is ${status}; no action is allowed on a registration in a terminal status.`);
    }
    prepared.push({ op: op.op, path: op.path, value: writableCopy(op.value, t.schema, model) });
  });

  const document = structuredClone(current);
  if (addedRegistration && !Array.isArray(document.registrations)) document.registrations = [];
  const written: string[] = [];
  prepared.forEach((op, index) => {
    written.push(appendedAt(document, op.path));
    const effective = op.op === 'replace' && replaceActsAsAdd(document, op.path) ? { ...op, op: 'add' as const } : op;
    try {
      jsonpatch.applyOperation(document, effective, true, true, true, index);
    } catch (err) {
      if (err instanceof jsonpatch.JsonPatchError) throw opError(index, describePatchError(err.name, op.path));
      throw err;
    }
  });
  return { document, addedRegistration, written };
}

/** `path` with a final `-` replaced by the index an append lands at. */
function appendedAt(document: unknown, path: string): string {
  if (!path.endsWith('/-')) return path;
  const parentPath = path.slice(0, -2);
  let parent: unknown;
  try {
    parent = jsonpatch.getValueByPointer(document, parentPath);
  } catch {
    return path; // the operation fails anyway, naming its own index
  }
  return Array.isArray(parent) ? `${parentPath}/${parent.length}` : path;
}

/** `replace` of an absent object member whose parent exists: the typed model has the field. */
function replaceActsAsAdd(document: unknown, path: string): boolean {
  const segments = segmentsOf(path);
  const key = segments.pop()!;
  let parent: unknown = document;
  for (const s of segments) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<string, unknown>)[s];
  }
  return typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !Object.prototype.hasOwnProperty.call(parent, key);
}

function describePatchError(name: string, path: string): string {
  switch (name) {
    case 'OPERATION_PATH_UNRESOLVABLE':
      return `'${path}' does not exist in the referral`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return `cannot add at '${path}': its parent does not exist`;
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `the array index in '${path}' is beyond the end of the array`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return `'${path}' has an invalid array index`;
    case 'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED':
    case 'OPERATION_VALUE_REQUIRED':
      return `'value' is missing or invalid`;
    default:
      return `cannot apply to '${path}' (${name})`;
  }
}
