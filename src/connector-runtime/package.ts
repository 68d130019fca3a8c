/**
 * Loads a connector package (apiDefinition.swagger.json + apiProperties.json) into the
 * operations and compiled policies the runtime runs. Every problem that would only show up in
 * a flow is reported here, naming the file, the policy and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScriptSize, compileScript, missingMono, SCRIPT_FILE } from './custom-code/compile.js';
import { readScriptOperations, type CustomCode } from './custom-code/definition.js';
import { readCredential, type Credential } from './credentials.js';
import { compilePolicy, PackageError, type CompiledPolicy, type OperationShape } from './policies.js';

export const DEFINITION_FILE = 'apiDefinition.swagger.json';
export const PROPERTIES_FILE = 'apiProperties.json';

export type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required: boolean;
  type?: string;
  default?: unknown;
  internal: boolean;
  /** x-ms-url-encoding: 'single' (default) or 'double'. */
  urlEncoding: 'single' | 'double';
  schema?: Json;
}

export interface Operation {
  operationId: string;
  method: string;
  /** As declared, relative to basePath. */
  path: string;
  /** `path` as a pattern, compiled once: one group per name in `pathNames`. */
  pathPattern: RegExp;
  pathNames: string[];
  parameters: Parameter[];
  /** Media types the operation consumes (its own, else the definition's). */
  consumes: string[];
  /** x-ms-pageable.nextLinkName (required by the schema), when the operation is pageable. */
  nextLinkName?: string;
  trigger?: 'batch' | 'single';
}

export interface ConnectorPackage {
  title: string;
  host: string;
  basePath: string;
  definition: Json;
  operations: Map<string, Operation>;
  policies: CompiledPolicy[];
  /** operationId -> its pollingtrigger policy (at most one each, checked at load). */
  triggers: Map<string, CompiledPolicy>;
  /** script.csx and the operations it answers (custom-code/definition.ts). */
  customCode?: CustomCode;
  /** How the connection authenticates (credentials.ts). */
  credential: Credential;
  /** apiProperties.json's connectionParameters, as declared. */
  connectionParameters: Record<string, Json>;
}

function readJson(folder: string, file: string): Json {
  const path = join(folder, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PackageError(file, 'file', undefined, `cannot be read from ${folder} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); build the package first (npm run build writes dist/connector)`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch (err) {
    throw new PackageError(file, 'file', undefined, `is not valid JSON: ${(err as Error).message}`);
  }
}

/** Follows a local `#/...` reference (one level is enough for parameters; schemas resolve lazily). */
export function resolveRef<T = Json>(definition: Json, node: unknown): T {
  let cur = node as Json;
  for (let depth = 0; cur && typeof cur.$ref === 'string'; depth++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/') || depth > 32) throw new PackageError(DEFINITION_FILE, `reference '${ref}'`, undefined, 'only local references are supported');
    let target: unknown = definition;
    for (const key of ref.slice(2).split('/')) target = (target as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (target === undefined) throw new PackageError(DEFINITION_FILE, `reference '${ref}'`, undefined, 'points at nothing');
    cur = target as Json;
  }
  return cur as T;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** A path template as a pattern matching one segment per `{name}`, trailing '/' allowed. */
function compilePath(template: string): { pathPattern: RegExp; pathNames: string[] } {
  const pathNames: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^{}]+)\\?\}/g, (_, n: string) => {
    pathNames.push(n);
    return '([^/]+)';
  });
  return { pathPattern: new RegExp(`^${pattern}/?$`), pathNames };
}

function readOperations(definition: Json): Map<string, Operation> {
  const out = new Map<string, Operation>();
  const paths = (definition.paths ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries(paths)) {
    const shared = (item.parameters ?? []) as unknown[];
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op || typeof op.operationId !== 'string') continue;
      const byKey = new Map<string, Parameter>();
      for (const raw of [...shared, ...((op.parameters ?? []) as unknown[])]) {
        const p = resolveRef(definition, raw);
        const param: Parameter = {
          name: String(p.name),
          in: p.in as Parameter['in'],
          required: p.required === true,
          type: typeof p.type === 'string' ? p.type : undefined,
          default: p.default,
          internal: p['x-ms-visibility'] === 'internal',
          urlEncoding: p['x-ms-url-encoding'] === 'double' ? 'double' : 'single',
          schema: p.schema as Json | undefined,
        };
        byKey.set(`${param.in}:${param.name}`, param); // an operation's parameter overrides the path item's
      }
      const pageable = op['x-ms-pageable'] as Json | undefined;
      // apiDefinition.swagger.schema.json (microsoft/PowerPlatformConnectors) requires nextLinkName:
      // "The name of the property at the root of the response that has the next link url".
      if (pageable && (typeof pageable.nextLinkName !== 'string' || !pageable.nextLinkName)) {
        throw new PackageError(DEFINITION_FILE, `operation '${op.operationId}'`, 'x-ms-pageable.nextLinkName', 'is required (the name of the response property holding the next link)');
      }
      const trigger = op['x-ms-trigger'];
      out.set(op.operationId, {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        ...compilePath(path),
        parameters: [...byKey.values()],
        consumes: ((Array.isArray(op.consumes) ? op.consumes : Array.isArray(definition.consumes) ? definition.consumes : []) as unknown[]).map((c) => String(c).toLowerCase()),
        nextLinkName: pageable ? (pageable.nextLinkName as string) : undefined,
        trigger: trigger === 'batch' || trigger === 'single' ? trigger : undefined,
      });
    }
  }
  return out;
}

/** Builds a package from already-parsed files (the corpus script feeds files it read itself). */
export function parsePackage(definition: Json, properties: Json, script?: string): ConnectorPackage {
  const operations = readOperations(definition);
  const shapes = new Map<string, OperationShape>(
    [...operations].map(([id, op]) => [id, { method: op.method, pathParams: op.parameters.filter((p) => p.in === 'path').map((p) => p.name) }]),
  );
  const instances = ((properties.properties as Json | undefined)?.policyTemplateInstances ?? []) as unknown;
  if (!Array.isArray(instances)) throw new PackageError(PROPERTIES_FILE, 'properties.policyTemplateInstances', undefined, 'must be an array');
  const policies = instances.map((instance, index) => {
    if (instance === null || typeof instance !== 'object') throw new PackageError(PROPERTIES_FILE, `policyTemplateInstances[${index}]`, undefined, 'must be an object');
    return compilePolicy({ file: PROPERTIES_FILE, instance: instance as Json, index, operations: shapes });
  });
  const triggers = new Map<string, CompiledPolicy>();
  for (const p of policies) {
    if (!p.trigger) continue;
    for (const op of p.operations ?? [...operations.keys()]) {
      if (triggers.has(op)) throw new PackageError(PROPERTIES_FILE, `policy '${p.title}'`, 'x-ms-apimTemplate-operationName', `operation '${op}' already has the polling trigger '${triggers.get(op)!.title}'`);
      triggers.set(op, p);
    }
  }
  const info = (definition.info ?? {}) as Json;
  const scriptOperations = readScriptOperations(properties, PROPERTIES_FILE, new Set(operations.keys()), script !== undefined);
  const connectionParameters = (((properties.properties ?? {}) as Json).connectionParameters ?? {}) as Record<string, Json>;
  return {
    title: typeof info.title === 'string' ? info.title : 'connector',
    host: typeof definition.host === 'string' ? definition.host : '',
    basePath: typeof definition.basePath === 'string' ? definition.basePath.replace(/\/+$/, '') : '',
    definition,
    operations,
    policies,
    triggers,
    customCode: script === undefined && scriptOperations === undefined ? undefined : { file: SCRIPT_FILE, source: script, operations: scriptOperations },
    credential: readCredential(definition, connectionParameters, DEFINITION_FILE),
    connectionParameters,
  };
}

/**
 * Loads a package folder such as dist/connector. A script.csx is compiled here, so a script that
 * does not compile refuses the package with file:line; without Mono on the machine the package
 * still loads and the script's operations answer 500 naming what to install.
 */
export function loadPackage(folder: string): ConnectorPackage {
  const scriptPath = join(folder, SCRIPT_FILE);
  const script = existsSync(scriptPath) ? readFileSync(scriptPath, 'utf8') : undefined;
  const pkg = parsePackage(readJson(folder, DEFINITION_FILE), readJson(folder, PROPERTIES_FILE), script);
  if (pkg.customCode?.source !== undefined) {
    checkScriptSize(pkg.customCode.source);
    const missing = missingMono();
    if (missing) pkg.customCode.unavailable = missing;
    else pkg.customCode.compiled = compileScript(pkg.customCode.source);
  }
  return pkg;
}
