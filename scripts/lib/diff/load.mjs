// Reading one side of a connector diff: a definition file (JSON or YAML), a folder (a connector
// package, a checkout of this repository, or the release baseline), or a git ref of the checkout.
// Every failure is a SideError whose message is one line naming the side and why.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { $RefParser } from '@apidevtools/json-schema-ref-parser';
import YAML from 'yaml';
import { API_PROPERTIES_FILE } from '../api-properties.mjs';
import { parseLenientJson } from '../corpus.mjs';
import { SPEC_FILE } from '../spec.mjs';

/** Where a definition and its apiProperties.json sit in each kind of folder, tried in order. */
const FOLDER_LAYOUTS = [
  { kind: 'connector package', definition: 'apiDefinition.swagger.json', apiProperties: 'apiProperties.json' },
  { kind: 'checkout', definition: SPEC_FILE, apiProperties: API_PROPERTIES_FILE },
  { kind: 'release baseline', definition: 'referrals.yaml', apiProperties: 'apiProperties.json' },
];

export class SideError extends Error {
  /** @param {string} side "old" or "new" @param {string} why */
  constructor(side, why) {
    super(`${side} side: ${why.split('\n')[0]}`);
    this.name = 'SideError';
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Runs git in `root`; returns stdout, or throws with git's first stderr line. */
export function git(root, args) {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const stderr = String(err.stderr ?? '').trim().split('\n')[0];
    throw new Error(err.code === 'ENOENT' ? 'git is not installed' : stderr || err.message);
  }
}

/** True when `root` is the top of a git work tree (not merely inside some other repository). */
export function isGitCheckout(root) {
  try {
    return realpathSync(git(root, ['rev-parse', '--show-toplevel']).trim()) === realpathSync(root);
  } catch {
    return false;
  }
}

/** The commit `ref` names in `root`'s repository, or an Error saying why not. */
function resolveRef(root, ref) {
  if (ref.startsWith('-')) return new Error(`"${ref}" is not a git ref`);
  if (!isGitCheckout(root)) return new Error(`${root} is not a git checkout`);
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch {
    return new Error(`no git ref "${ref}" in ${root}`);
  }
}

/** The file at `path` in commit `sha`, or undefined when the commit has no such file. */
function gitFile(root, sha, path) {
  try {
    git(root, ['cat-file', '-e', `${sha}:${path}`]);
  } catch {
    return undefined;
  }
  return git(root, ['show', `${sha}:${path}`]);
}

/**
 * Text to a JSON value: YAML for .yaml/.yml names, else JSON as the platform reads it (a
 * byte-order mark dropped, comments and trailing commas tolerated). Throws SideError.
 */
function parseText(side, text, name) {
  if (/\.ya?ml$/i.test(name)) {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
    if (doc.errors.length) {
      const e = doc.errors[0];
      const pos = lineCounter.linePos(e.pos[0]);
      throw new SideError(side, `${name}: invalid YAML at line ${pos.line}, column ${pos.col}: ${e.message}`);
    }
    return { value: doc.toJS({ maxAliasCount: -1 }), notes: [] };
  }
  const read = parseLenientJson(text);
  if (read.unreadable) throw new SideError(side, `${name}: invalid JSON: ${read.unreadable}`);
  return { value: read.value, notes: read.notes.map((n) => `${name}: ${n}`) };
}

function readFile(side, file, name) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SideError(side, `${name}: cannot read: ${err.code ?? err.message}`);
  }
}

const decodeSegment = (s) => {
  let d = s;
  try {
    d = decodeURIComponent(s);
  } catch {
    // A lone % stays as written.
  }
  return d.replace(/~1/g, '/').replace(/~0/g, '~');
};

/**
 * Local $refs that point at nothing become empty schemas (noted), so that one dangling pointer
 * does not make a whole definition unreadable; the certification tools would have refused the
 * file, but old versions in the wild carry them.
 */
function dropDanglingRefs(root, notes, name) {
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      let target = root;
      const pointer = node.$ref.slice(1);
      for (const seg of pointer ? pointer.replace(/^\//, '').split('/').map(decodeSegment) : []) {
        target = target !== null && typeof target === 'object' && Object.hasOwn(target, seg) ? target[seg] : undefined;
        if (target === undefined) break;
      }
      if (target === undefined) {
        notes.push(`${name}: $ref "${node.$ref}" points at nothing; read as an empty schema`);
        delete node.$ref;
      }
    }
    for (const value of Object.values(node)) stack.push(value);
  }
}

/**
 * Parses and dereferences a definition. `$ref`s are resolved by @apidevtools/json-schema-ref-parser
 * (local pointers only: no file or network access); a recursive schema becomes a cyclic object,
 * which the comparison walks once per cycle.
 */
async function definitionFrom(side, text, name) {
  const { value, notes } = parseText(side, text, name);
  if (!isObject(value)) throw new SideError(side, `${name}: not a JSON or YAML object`);
  if (value.swagger !== '2.0') {
    throw new SideError(side, `${name}: not a Swagger 2.0 definition ("swagger" is ${JSON.stringify(value.swagger)}, expected "2.0")`);
  }
  if (value.paths !== undefined && !isObject(value.paths)) throw new SideError(side, `${name}: "paths" is not an object`);
  dropDanglingRefs(value, notes, name);
  try {
    await $RefParser.dereference(value, {
      resolve: { external: false, file: false, http: false },
      dereference: { circular: true },
      mutateInputSchema: true,
    });
  } catch (err) {
    throw new SideError(side, `${name}: cannot resolve $refs: ${err.message}`);
  }
  return { definition: value, notes };
}

function apiPropertiesFrom(side, text, name) {
  const { value, notes } = parseText(side, text, name);
  if (!isObject(value) || !isObject(value.properties)) throw new SideError(side, `${name}: no top-level "properties" object`);
  return { apiProperties: value, notes };
}

/** A path for messages: relative when it lies below the current directory, else absolute. */
const display = (cwd, path) => {
  const r = relative(cwd, path);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? path : r.split(sep).join('/');
};

/**
 * One side of the diff.
 * @param {'old' | 'new'} side
 * @param {string | undefined} spec a file, a folder or a git ref; undefined: the working tree of `root`
 * @param {{ root: string, cwd?: string }} where `root` is the checkout (for git refs and the working tree)
 * @returns {Promise<{ side: string, source: string, definition: object, apiProperties: object | null, notes: string[] }>}
 */
export async function loadSide(side, spec, { root, cwd = process.cwd() }) {
  if (spec === undefined) return loadFolder(side, root, 'working tree', FOLDER_LAYOUTS[1]);
  const path = resolve(cwd, spec);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      const layout = FOLDER_LAYOUTS.find((l) => existsSync(join(path, l.definition)));
      if (!layout) {
        throw new SideError(side, `${spec}: the folder holds no connector definition (${FOLDER_LAYOUTS.map((l) => l.definition).join(', ')})`);
      }
      return loadFolder(side, path, `${display(cwd, path)}/ (${layout.kind})`, layout);
    }
    const name = display(cwd, path);
    const { definition, notes } = await definitionFrom(side, readFile(side, path, name), name);
    return { side, source: name, definition, apiProperties: null, notes };
  }
  const sha = resolveRef(root, spec);
  if (sha instanceof Error) throw new SideError(side, `"${spec}" is no file or folder, and ${sha.message}`);
  const text = gitFile(root, sha, SPEC_FILE);
  if (text === undefined) throw new SideError(side, `git ref "${spec}" (${sha.slice(0, 10)}) has no ${SPEC_FILE}`);
  const def = await definitionFrom(side, text, `${spec}:${SPEC_FILE}`);
  const propsText = gitFile(root, sha, API_PROPERTIES_FILE);
  const props = propsText === undefined ? { apiProperties: null, notes: [] } : apiPropertiesFrom(side, propsText, `${spec}:${API_PROPERTIES_FILE}`);
  return {
    side,
    source: `git ref ${spec} (${sha.slice(0, 10)})`,
    definition: def.definition,
    apiProperties: props.apiProperties,
    notes: [...def.notes, ...props.notes],
  };
}

async function loadFolder(side, folder, source, layout) {
  const defFile = join(folder, layout.definition);
  if (!existsSync(defFile)) throw new SideError(side, `${source}: ${layout.definition} not found`);
  const def = await definitionFrom(side, readFile(side, defFile, layout.definition), layout.definition);
  const propsFile = join(folder, layout.apiProperties);
  const props = existsSync(propsFile)
    ? apiPropertiesFrom(side, readFile(side, propsFile, layout.apiProperties), layout.apiProperties)
    : { apiProperties: null, notes: [] };
  return { side, source, definition: def.definition, apiProperties: props.apiProperties, notes: [...def.notes, ...props.notes] };
}

/** A side from values already in memory (tests, the corpus run): dereferenced like a file. */
export async function sideFromValues(side, source, definitionText, apiPropertiesText, name = 'apiDefinition.swagger.json') {
  const def = await definitionFrom(side, definitionText, name);
  const props = apiPropertiesText === undefined ? { apiProperties: null, notes: [] } : apiPropertiesFrom(side, apiPropertiesText, 'apiProperties.json');
  return { side, source, definition: def.definition, apiProperties: props.apiProperties, notes: [...def.notes, ...props.notes] };
}
