// Loading and checking apiProperties.json. Two layers: small hand-written checks for the
// certification rules (precise messages, cross-checks with the spec), then our trimmed JSON
// schema (apiProperties.schema.json) as a structural safety net.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { UserError, parseJsonFile, readText } from './util.mjs';

export const API_PROPERTIES_FILE = 'apiProperties.json';

const POLICY_TEMPLATES = [
  'convertarraytoobject', 'convertobjecttoarray', 'dynamichosturl', 'encodepropertyvalue', 'pollingtrigger',
  'routerequesttoendpoint', 'setheader', 'setproperty', 'setqueryparameter', 'setvaluefromurl',
  'stringreplace', 'stringtoarray', 'updatenextlink',
];
const CONNECTION_PARAMETER_NAME = /^[0-9a-zA-Z_]+(:[0-9a-zA-Z_]+)?$/;
const RESERVED_COLOURS = ['#ffffff', '#007ee5'];
const OP_NAME = 'x-ms-apimTemplate-operationName';
const NEW_PATH = 'x-ms-apimTemplateParameter.newPath';
const HTTP_METHOD = 'x-ms-apimTemplateParameter.httpMethod';

/** Reads and parses apiProperties.json; syntax errors name the file, line and column. */
export function loadApiProperties(root) {
  const text = readText(join(root, API_PROPERTIES_FILE), API_PROPERTIES_FILE);
  return parseJsonFile(text, API_PROPERTIES_FILE);
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Human label for a policy instance in messages, e.g. `policyTemplateInstances[2] (routerequesttoendpoint "Route ...")`. */
function instanceLabel(instance, index) {
  const title = isObject(instance) && typeof instance.title === 'string' ? ` "${instance.title}"` : '';
  const id = isObject(instance) ? instance.templateId : undefined;
  return `policyTemplateInstances[${index}] (${id ?? 'no templateId'}${title})`;
}

/**
 * The certification checks, in our own code. `operationIds` (a Set) enables the cross-check
 * against the spec. Returns a list of messages, each "apiProperties.json: <where>: <problem> Fix: <fix>".
 */
function checkApiProperties(doc, operationIds) {
  const f = API_PROPERTIES_FILE;
  const problems = [];
  const add = (where, problem, fix) => problems.push(`${f}: ${where}: ${problem}\n  Fix: ${fix}`);
  if (!isObject(doc) || !isObject(doc.properties)) {
    add('/', 'the top-level "properties" object is missing.', 'wrap the connector settings in {"properties": {...}}.');
    return problems;
  }
  const p = doc.properties;
  for (const key of ['iconBrandColor', 'publisher', 'stackOwner', 'capabilities', 'connectionParameters', 'policyTemplateInstances']) {
    if (!(key in p)) add(`properties.${key}`, 'required property is missing.', `add properties.${key} (see the certification rules).`);
  }
  if ('iconBrandColor' in p) {
    const c = p.iconBrandColor;
    if (typeof c !== 'string' || !/^#[0-9a-f]{6}$/i.test(c)) {
      add('properties.iconBrandColor', `${JSON.stringify(c)} is not a #rrggbb colour.`, 'write the icon background colour as "#rrggbb", e.g. "#0078d4".');
    } else if (RESERVED_COLOURS.includes(c.toLowerCase())) {
      add('properties.iconBrandColor', `${c} is not allowed (white and #007ee5 are reserved).`, 'use the brand colour of the icon background, e.g. "#0078d4".');
    }
  }
  if (isObject(p.connectionParameters)) {
    for (const [name, param] of Object.entries(p.connectionParameters)) {
      const where = `properties.connectionParameters["${name}"]`;
      if (!CONNECTION_PARAMETER_NAME.test(name)) {
        add(where, 'the name does not match ^[0-9a-zA-Z_]+(:[0-9a-zA-Z_]+)?$.', 'use letters, digits and underscores, optionally one ":suffix" (e.g. token:TenantId).');
      }
      const oauth = isObject(param) ? param.oAuthSettings : undefined;
      if (isObject(param) && param.type === 'oauthSetting' && !isObject(oauth)) {
        add(where, 'an oauthSetting parameter has no oAuthSettings object.', 'add oAuthSettings with identityProvider "aad" and customParameters.resourceUri.');
      }
      if (!isObject(oauth)) continue;
      if (oauth.identityProvider === 'aad' && typeof oauth.customParameters?.resourceUri?.value !== 'string') {
        add(`${where}.oAuthSettings.customParameters`, 'identityProvider "aad" needs customParameters.resourceUri.value.', 'add "resourceUri": {"value": "https://api.partner.microsoft.com"}.');
      }
      if (typeof oauth.clientSecret === 'string' && oauth.clientSecret !== '') {
        add(`${where}.oAuthSettings.clientSecret`, 'a client secret is in the package.', 'remove clientSecret; the secret is entered when the connector is created, never committed.');
      }
    }
  }
  if (Array.isArray(p.policyTemplateInstances)) {
    p.policyTemplateInstances.forEach((instance, i) => {
      const where = `properties.${instanceLabel(instance, i)}`;
      if (!isObject(instance)) {
        add(where, 'is not an object.', 'write each instance as {"templateId", "title", "parameters"}.');
        return;
      }
      if (!POLICY_TEMPLATES.includes(instance.templateId)) {
        add(where, `templateId ${JSON.stringify(instance.templateId)} is not a known policy template.`, `use one of: ${POLICY_TEMPLATES.join(', ')}.`);
      }
      const params = isObject(instance.parameters) ? instance.parameters : {};
      const names = params[OP_NAME];
      if (!Array.isArray(names) || names.length === 0) {
        add(where, `parameters["${OP_NAME}"] is missing or empty.`, 'list the operationIds the policy applies to.');
      } else if (operationIds) {
        for (const name of names) {
          if (!operationIds.has(name)) {
            add(where, `names operation ${JSON.stringify(name)}, which openapi/referrals.yaml does not define.`, `use an operationId of the spec (${[...operationIds].join(', ')}).`);
          }
        }
      }
      if (instance.templateId === 'routerequesttoendpoint' && typeof params[NEW_PATH] !== 'string') {
        add(where, `routerequesttoendpoint has no parameters["${NEW_PATH}"].`, 'add the real path relative to basePath, e.g. "/referrals/{id}".');
      }
      if (instance.templateId === 'pollingtrigger') {
        if (!isObject(params['x-ms-apimTemplateParameter.triggerConfig'])) {
          add(where, 'pollingtrigger has no parameters["x-ms-apimTemplateParameter.triggerConfig"] object.', 'add e.g. {"$filter": "updatedDateTime gt @{triggerBody().value[0].updatedDateTime}"}.');
        }
        if (typeof params['x-ms-apimTemplateParameter.triggerDataPath'] !== 'string') {
          add(where, 'pollingtrigger has no parameters["x-ms-apimTemplateParameter.triggerDataPath"].', 'add "@triggerBody().value".');
        }
      }
    });
  }
  if ('scriptOperations' in p) {
    const names = p.scriptOperations;
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
      add('properties.scriptOperations', 'must be a non-empty array of operationIds.', 'list the operations script.csx answers; an empty or missing list would run the script for every operation.');
    } else if (operationIds) {
      for (const name of names) {
        if (!operationIds.has(name)) add('properties.scriptOperations', `names operation ${JSON.stringify(name)}, which openapi/referrals.yaml does not define.`, `use an operationId of the spec (${[...operationIds].join(', ')}).`);
      }
    }
  }
  return problems;
}

let validateSchema;
/** Validates against scripts/lib/apiProperties.schema.json; returns messages in the same style as checkApiProperties. */
function schemaProblems(doc) {
  if (!validateSchema) {
    const schema = JSON.parse(readFileSync(new URL('./apiProperties.schema.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
    addFormats.default(ajv);
    validateSchema = ajv.compile(schema);
  }
  if (validateSchema(doc)) return [];
  // if/then and allOf wrappers only repeat the real error underneath; skip them.
  const errors = validateSchema.errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  return errors.map((e) => {
    const fix = e.parentSchema?.description ?? 'see scripts/lib/apiProperties.schema.json.';
    return `${API_PROPERTIES_FILE}: ${e.instancePath || '/'}: ${e.message} (schema ${e.schemaPath})\n  Fix: ${fix}`;
  });
}

/** Runs both layers; throws one UserError listing every problem. */
export function assertValidApiProperties(doc, operationIds) {
  const own = checkApiProperties(doc, operationIds);
  // The schema repeats most of the hand-written findings less clearly; show it only when they pass.
  const problems = own.length ? own : schemaProblems(doc);
  if (problems.length) throw new UserError(`${problems.length} problem(s) in ${API_PROPERTIES_FILE}:\n${problems.join('\n')}`);
}

/**
 * The real wire route of every operation, from the routerequesttoendpoint instances.
 * Returns Map operationId -> { method, path, instance: label }. Routing errors name the instance.
 */
export function routingTable(doc, operations) {
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const routes = new Map();
  const problems = [];
  const instances = isObject(doc?.properties) && Array.isArray(doc.properties.policyTemplateInstances) ? doc.properties.policyTemplateInstances : [];
  instances.forEach((instance, i) => {
    if (!isObject(instance) || String(instance.templateId).toLowerCase() !== 'routerequesttoendpoint') return;
    const label = instanceLabel(instance, i);
    const params = isObject(instance.parameters) ? instance.parameters : {};
    const newPath = params[NEW_PATH];
    const names = Array.isArray(params[OP_NAME]) ? params[OP_NAME] : [];
    if (typeof newPath !== 'string' || !newPath.startsWith('/')) {
      problems.push(`${API_PROPERTIES_FILE}: ${label}: "${NEW_PATH}" must be a path starting with "/", relative to basePath.`);
      return;
    }
    if (names.length === 0) problems.push(`${API_PROPERTIES_FILE}: ${label}: "${OP_NAME}" names no operation.`);
    for (const name of names) {
      const op = byId.get(name);
      if (!op) {
        problems.push(`${API_PROPERTIES_FILE}: ${label}: routes operation ${JSON.stringify(name)}, which openapi/referrals.yaml does not define.\n  Fix: use one of ${[...byId.keys()].join(', ')}, or add the operation to the spec.`);
        continue;
      }
      if (routes.has(name)) {
        problems.push(`${API_PROPERTIES_FILE}: ${label}: operation ${name} is already routed by ${routes.get(name).instance}.\n  Fix: keep one routerequesttoendpoint instance per operation.`);
        continue;
      }
      const specParams = new Set([...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
      for (const m of newPath.matchAll(/\{([^}]+)\}/g)) {
        if (!specParams.has(m[1])) {
          problems.push(`${API_PROPERTIES_FILE}: ${label}: newPath ${newPath} uses {${m[1]}}, which is not a path parameter of ${name} (${op.path}).\n  Fix: only use the operation's own path parameters in newPath.`);
        }
      }
      const method = params[HTTP_METHOD] ?? op.method;
      routes.set(name, { method: String(method).toUpperCase(), path: newPath, instance: label });
    }
  });
  if (problems.length) throw new UserError(problems.join('\n'));
  return routes;
}
