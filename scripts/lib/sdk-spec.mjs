// The OpenAPI 3.0 document of what Partner Center itself serves: the input of client generators
// (generated/referrals.openapi.json, its types in generated/referrals.ts, the committed
// typescript-fetch client and `npm run generate:sdk`).
//
// The connector's spec also declares operations that exist only through the connector: those
// apiProperties.json routes elsewhere (routerequesttoendpoint), i.e. the trigger and the two
// deal-registration actions. Called directly, each is a 404, so a generated client must not
// offer them. They are left out here, and the request body example of each one becomes a named
// example of the operation it is routed to: deal registration is documented where the service
// takes it (PATCH /referrals/{id} with `add /registrations/-`).
import { loadApiProperties, routingTable } from './api-properties.mjs';
import { HTTP_METHODS, listOperations, loadSpec, toOpenApi3 } from './spec.mjs';

const COMPONENT_KINDS = ['schemas', 'parameters', 'responses', 'requestBodies', 'headers', 'examples'];

/** Every local `#/components/<kind>/<name>` reference under `node`. */
function refsIn(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) out.add(value);
      else refsIn(value, out);
    }
  }
  return out;
}

/** Drops components nothing reachable from `paths` refers to (directly or through other components). */
function pruneComponents(doc) {
  const reachable = new Set();
  const queue = [...refsIn(doc.paths)];
  while (queue.length) {
    const ref = queue.pop();
    if (reachable.has(ref)) continue;
    reachable.add(ref);
    const [, , kind, name] = ref.split('/');
    queue.push(...refsIn(doc.components?.[kind]?.[name]));
  }
  for (const kind of COMPONENT_KINDS) {
    const group = doc.components?.[kind];
    if (!group) continue;
    for (const name of Object.keys(group)) if (!reachable.has(`#/components/${kind}/${name}`)) delete group[name];
    if (Object.keys(group).length === 0) delete doc.components[kind];
  }
}

const JSON_MEDIA = 'application/json';

/**
 * `openapi` (the spec converted to OpenAPI 3.0) without the operations `routes` moves elsewhere.
 * `operations`: listOperations of the Swagger spec; `routes`: routingTable of apiProperties.json.
 * Changes and returns `openapi`.
 */
export function withoutConnectorOperations(openapi, operations, routes) {
  const byRoute = new Map(operations.map((op) => [`${op.method} ${op.path}`, op]));
  for (const op of operations) {
    const route = routes.get(op.operationId);
    if (!route || (route.method === op.method && route.path === op.path)) continue;
    const item = openapi.paths[op.path];
    const removed = item[op.method.toLowerCase()];
    delete item[op.method.toLowerCase()];
    if (!HTTP_METHODS.some((m) => m in item)) delete openapi.paths[op.path];

    const target = byRoute.get(`${route.method} ${route.path}`);
    const example = removed.requestBody?.content?.[JSON_MEDIA]?.schema?.example;
    const media = target && openapi.paths[target.path]?.[target.method.toLowerCase()]?.requestBody?.content?.[JSON_MEDIA];
    if (example === undefined || !media) continue;
    media.examples ??= {};
    media.examples[op.operationId] = {
      summary: removed.summary,
      description: `What the connector's ${op.operationId} action sends here.`,
      value: example,
    };
  }
  const usedTags = new Set(Object.values(openapi.paths).flatMap((item) => Object.values(item).flatMap((o) => (o && typeof o === 'object' && Array.isArray(o.tags) ? o.tags : []))));
  if (Array.isArray(openapi.tags)) openapi.tags = openapi.tags.filter((t) => usedTags.has(t.name));
  pruneComponents(openapi);
  return openapi;
}

/** The SDK document of the spec in `root` (openapi/referrals.yaml + apiProperties.json). */
export async function sdkOpenApi(root) {
  const { spec } = loadSpec(root);
  const operations = listOperations(spec);
  const routes = routingTable(loadApiProperties(root), operations);
  return withoutConnectorOperations(await toOpenApi3(spec), operations, routes);
}
