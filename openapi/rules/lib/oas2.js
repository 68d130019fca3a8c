// Shared traversal of a Swagger 2.0 document for the Power Platform rules.
// Works on both the resolved and the unresolved document: callers that walk the
// resolved one get paths through $refs, which Spectral maps back to the place the
// $ref points at (the place a user must edit).

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

export const isObject = value => typeof value === 'object' && value !== null && !Array.isArray(value);

export const isNonEmptyString = value => typeof value === 'string' && value.trim().length > 0;

/** Not given: absent, or a string of blanks. */
export const isUnset = value => value === undefined || (typeof value === 'string' && value.trim() === '');

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/;

/** Options of the visibility rules: the allowed values and those tolerated in any letter case. */
export const VISIBILITY_OPTIONS = {
  type: 'object',
  properties: { allowed: { type: 'array', items: { type: 'string' } }, tolerated: { type: 'array', items: { type: 'string' } } },
  required: ['allowed', 'tolerated'],
  additionalProperties: false,
};

/**
 * How an x-ms-visibility value compares with the `allowed` values: 'allowed', 'empty' (""),
 * 'case' (an allowed value in other letter case, e.g. "Advanced"), 'tolerated' (a `tolerated`
 * value in any letter case, e.g. "none") or 'unknown' (anything else, strings or not).
 */
export function visibilityKind(value, allowed, tolerated) {
  if (allowed.includes(value)) return 'allowed';
  if (typeof value !== 'string') return 'unknown';
  if (value === '') return 'empty';
  const lower = value.toLowerCase();
  if (allowed.includes(lower)) return 'case';
  return tolerated.includes(lower) ? 'tolerated' : 'unknown';
}

/**
 * What the document's `host` is: 'name' (a host name, optionally with a port), 'missing',
 * 'not-string', 'scheme', 'path' (or query or fragment), 'unset' (empty, or a {placeholder}
 * that a dynamichosturl policy replaces) or 'other' (any other text that is no host name).
 */
export function hostKind(doc) {
  if (!('host' in doc)) return 'missing';
  const { host } = doc;
  if (typeof host !== 'string') return 'not-string';
  if (HOST_NAME.test(host)) return 'name';
  if (host.includes('://')) return 'scheme';
  if (/[/?#]/.test(host)) return 'path';
  if (host.trim() === '' || /\{[^}]*\}/.test(host)) return 'unset';
  return 'other';
}

/** Every operation of the document with its JSON path. */
export function* operations(doc) {
  if (!isObject(doc) || !isObject(doc.paths)) return;
  for (const [pathKey, pathItem] of Object.entries(doc.paths)) {
    for (const op of pathItemOperations(pathItem, ['paths', pathKey])) yield { ...op, pathKey, pathItem };
  }
}

/** Operations of one path item (rules given `$.paths[*]`). */
export function* pathItemOperations(pathItem, pathItemPath) {
  if (!isObject(pathItem)) return;
  for (const method of METHODS) {
    const operation = pathItem[method];
    if (isObject(operation)) yield { method, operation, path: [...pathItemPath, method] };
  }
}

const refToPath = ref => ref.slice(2).split('/').map(raw => decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~'));

/**
 * Looks through local `#/...` references: returns the object a node stands for
 * and the path where that object is written (the node's own path if no $ref).
 */
export function locate(doc, node, path) {
  const seen = new Set();
  while (isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    const targetPath = refToPath(node.$ref);
    let target = doc;
    for (const key of targetPath) target = isObject(target) || Array.isArray(target) ? target[key] : undefined;
    if (target === undefined) break;
    node = target;
    path = targetPath;
  }
  return { node, path };
}

/** Follows local `#/...` references; returns the node unchanged when it is no reference. */
export const deref = (doc, node) => locate(doc, node, []).node;

/**
 * Parameters that apply to an operation: its own plus the path item's, an
 * operation parameter replacing a path-level one with the same name and location.
 * `doc` is needed only for unresolved documents (to look through `$ref`).
 */
export function effectiveParameters(pathItem, pathItemPath, operation, operationPath, doc = null) {
  const byKey = new Map();
  const add = (list, listPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const parameter = doc === null ? raw : deref(doc, raw);
      if (!isObject(parameter)) return;
      byKey.set(`${parameter.in}\u0000${parameter.name}`, { parameter, path: [...listPath, 'parameters', index] });
    });
  };
  add(pathItem?.parameters, pathItemPath);
  add(operation?.parameters, operationPath);
  return [...byKey.values()];
}

/** Parameters written in one path item (its own and its operations'), each once. */
export function* pathItemParameters(pathItem, pathItemPath) {
  if (!isObject(pathItem)) return;
  const lists = [[pathItem.parameters, pathItemPath, null]];
  for (const { operation, path } of pathItemOperations(pathItem, pathItemPath)) lists.push([operation.parameters, path, operation]);
  for (const [list, listPath, operation] of lists) {
    if (!Array.isArray(list)) continue;
    for (const [index, parameter] of list.entries()) {
      if (isObject(parameter)) yield { parameter, path: [...listPath, 'parameters', index], operation };
    }
  }
}

export const isSuccessCode = code => /^2\d\d$/.test(String(code));

/**
 * Responses of an operation with their paths. With `doc` (an unresolved
 * document), $ref'd responses are followed and `path` is where they are written.
 */
export function* responses(operation, operationPath, doc = null) {
  if (!isObject(operation) || !isObject(operation.responses)) return;
  for (const [code, raw] of Object.entries(operation.responses)) {
    const { node: response, path } = doc === null ? { node: raw, path: null } : locate(doc, raw, null);
    if (isObject(response)) yield { code, response, path: path ?? [...operationPath, 'responses', code] };
  }
}

/**
 * Visits every schema object below `schema` (properties, items, allOf,
 * additionalProperties), each object once, so circular resolved schemas end.
 * visit(schema, path, { parent, propertyName }).
 */
export function walkSchema(schema, path, visit, seen = new Set(), where = { parent: null, propertyName: null }) {
  if (!isObject(schema) || seen.has(schema)) return;
  seen.add(schema);
  visit(schema, path, where);
  if (isObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      walkSchema(property, [...path, 'properties', name], visit, seen, { parent: schema, propertyName: name });
    }
  }
  if (Array.isArray(schema.items)) {
    schema.items.forEach((item, index) => walkSchema(item, [...path, 'items', index], visit, seen));
  } else {
    walkSchema(schema.items, [...path, 'items'], visit, seen);
  }
  if (Array.isArray(schema.allOf)) {
    schema.allOf.forEach((part, index) => walkSchema(part, [...path, 'allOf', index], visit, seen));
  }
  walkSchema(schema.additionalProperties, [...path, 'additionalProperties'], visit, seen);
}

/** Visits the properties of the success (2xx) response schemas of an operation: what the designer offers as outputs. */
export function walkSuccessResponseProperties(operation, operationPath, visit) {
  for (const { code, response, path } of responses(operation, operationPath)) {
    if (!isSuccessCode(code) || !isObject(response.schema)) continue;
    walkSchema(response.schema, [...path, 'schema'], (schema, schemaPath, where) => {
      if (where.propertyName !== null) visit(schema, schemaPath, where);
    });
  }
}

/**
 * Walks the unresolved document and tells the visitor what each object is:
 * root, info, contact, license, tag, externalDocs, securityScheme, paths,
 * pathItem, operation, parameter, responses, response, header, items (of a
 * non-body parameter or header) or schema. `$ref` objects are not entered: their target is visited
 * where it is written. visit(node, kind, path, context) where context holds
 * { operation, operationPath, parent, propertyName }.
 */
export function walkDocument(doc, visit) {
  if (!isObject(doc)) return;
  const none = { operation: null, operationPath: null, parent: null, propertyName: null };
  visit(doc, 'root', [], none);
  if (isObject(doc.info)) {
    visit(doc.info, 'info', ['info'], none);
    if (isObject(doc.info.contact)) visit(doc.info.contact, 'contact', ['info', 'contact'], none);
    if (isObject(doc.info.license)) visit(doc.info.license, 'license', ['info', 'license'], none);
  }
  if (isObject(doc.externalDocs)) visit(doc.externalDocs, 'externalDocs', ['externalDocs'], none);
  if (Array.isArray(doc.tags)) {
    doc.tags.forEach((tag, index) => {
      if (!isObject(tag)) return;
      visit(tag, 'tag', ['tags', index], none);
      if (isObject(tag.externalDocs)) visit(tag.externalDocs, 'externalDocs', ['tags', index, 'externalDocs'], none);
    });
  }
  for (const [name, scheme] of entries(doc.securityDefinitions)) {
    visit(scheme, 'securityScheme', ['securityDefinitions', name], none);
  }
  for (const [name, parameter] of entries(doc.parameters)) {
    walkParameterNode(parameter, ['parameters', name], visit, none);
  }
  for (const [name, response] of entries(doc.responses)) {
    walkResponseNode(response, ['responses', name], visit, none);
  }
  for (const [name, schema] of entries(doc.definitions)) {
    walkSchemaNode(schema, ['definitions', name], visit, none);
  }
  if (isObject(doc.paths)) visit(doc.paths, 'paths', ['paths'], none);
  for (const [pathKey, pathItem] of entries(doc.paths)) {
    const pathItemPath = ['paths', pathKey];
    if (typeof pathItem.$ref === 'string') continue;
    visit(pathItem, 'pathItem', pathItemPath, none);
    listEntries(pathItem.parameters).forEach(([index, parameter]) =>
      walkParameterNode(parameter, [...pathItemPath, 'parameters', index], visit, none),
    );
    const notification = pathItem['x-ms-notification-content'];
    if (isObject(notification)) walkSchemaNode(notification.schema, [...pathItemPath, 'x-ms-notification-content', 'schema'], visit, none);
    for (const { operation, path } of pathItemOperations(pathItem, pathItemPath)) {
      const context = { ...none, operation, operationPath: path };
      visit(operation, 'operation', path, context);
      listEntries(operation.parameters).forEach(([index, parameter]) =>
        walkParameterNode(parameter, [...path, 'parameters', index], visit, context),
      );
      if (isObject(operation.responses)) visit(operation.responses, 'responses', [...path, 'responses'], context);
      for (const [code, response] of entries(operation.responses)) {
        walkResponseNode(response, [...path, 'responses', code], visit, context);
      }
    }
  }
}

function entries(value) {
  return isObject(value) ? Object.entries(value).filter(([, v]) => isObject(v)) : [];
}

function listEntries(value) {
  return Array.isArray(value) ? [...value.entries()].filter(([, v]) => isObject(v)) : [];
}

function walkParameterNode(parameter, path, visit, context) {
  if (!isObject(parameter) || typeof parameter.$ref === 'string') return;
  visit(parameter, 'parameter', path, context);
  if (parameter.in === 'body') walkSchemaNode(parameter.schema, [...path, 'schema'], visit, context);
  else walkItemsNode(parameter.items, [...path, 'items'], visit, context);
}

function walkItemsNode(items, path, visit, context) {
  if (!isObject(items)) return;
  visit(items, 'items', path, context);
  walkItemsNode(items.items, [...path, 'items'], visit, context);
}

function walkResponseNode(response, path, visit, context) {
  if (!isObject(response) || typeof response.$ref === 'string') return;
  visit(response, 'response', path, context);
  walkSchemaNode(response.schema, [...path, 'schema'], visit, context);
  for (const [name, header] of entries(response.headers)) {
    visit(header, 'header', [...path, 'headers', name], context);
    walkItemsNode(header.items, [...path, 'headers', name, 'items'], visit, context);
  }
}

function walkSchemaNode(schema, path, visit, context, parent = null, propertyName = null) {
  if (!isObject(schema) || typeof schema.$ref === 'string') return;
  visit(schema, 'schema', path, { ...context, parent, propertyName });
  for (const [name, property] of entries(schema.properties)) {
    walkSchemaNode(property, [...path, 'properties', name], visit, context, schema, name);
  }
  if (Array.isArray(schema.items)) {
    listEntries(schema.items).forEach(([index, item]) => walkSchemaNode(item, [...path, 'items', index], visit, context));
  } else {
    walkSchemaNode(schema.items, [...path, 'items'], visit, context);
  }
  listEntries(schema.allOf).forEach(([index, part]) => walkSchemaNode(part, [...path, 'allOf', index], visit, context));
  if (isObject(schema.additionalProperties)) {
    walkSchemaNode(schema.additionalProperties, [...path, 'additionalProperties'], visit, context);
  }
}

/** operationId -> operation (first one wins), over the unresolved document. */
export function operationsById(doc) {
  const byId = new Map();
  for (const entry of operations(doc)) {
    const id = entry.operation.operationId;
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, entry);
  }
  return byId;
}

export const METADATA = 'x-ms-connector-metadata';

/** The x-ms-connector-metadata entry named exactly `name`, with its index. */
export function metadataEntry(doc, name) {
  const list = isObject(doc) ? doc[METADATA] : undefined;
  if (!Array.isArray(list)) return null;
  const index = list.findIndex(e => isObject(e) && typeof e.propertyName === 'string' && e.propertyName.trim() === name);
  return index === -1 ? null : { entry: list[index], index, path: [METADATA, index] };
}

/** The categories listed in x-ms-connector-metadata (";"-separated), or null. */
export function connectorCategories(doc) {
  const found = metadataEntry(doc, 'Categories');
  if (found === null || typeof found.entry.propertyValue !== 'string') return null;
  const categories = found.entry.propertyValue.split(';').map(c => c.trim()).filter(Boolean);
  return { categories, path: [...found.path, 'propertyValue'] };
}

const withoutTrailingSlash = key => (key.length > 1 ? key.replace(/\/+$/, '') : key);

/**
 * Paths that repeat an earlier path up to letter case and trailing slashes: { key, earlier,
 * caseDiffers } for each, caseDiffers telling whether letter case (not only slashes) differs.
 */
export function redefinedPaths(paths) {
  const seen = new Map();
  const found = [];
  for (const key of Object.keys(paths)) {
    if (key.startsWith('x-')) continue;
    const normalized = withoutTrailingSlash(key).toLowerCase();
    const earlier = seen.get(normalized);
    if (earlier === undefined) seen.set(normalized, key);
    else found.push({ key, earlier, caseDiffers: withoutTrailingSlash(key) !== withoutTrailingSlash(earlier) });
  }
  return found;
}

export const DYNAMIC_EXTENSIONS = ['x-ms-dynamic-values', 'x-ms-dynamic-schema', 'x-ms-dynamic-list', 'x-ms-dynamic-properties', 'x-ms-dynamic-tree'];

/**
 * Every call to another operation made by a dynamic extension (values, schema,
 * list, properties, tree open/browse), over the unresolved document:
 * { extension, site, path, node, kind, context } where `site` holds operationId
 * and parameters, `path` points at it and `context` is walkDocument's.
 */
export function dynamicReferences(doc) {
  const found = [];
  walkDocument(doc, (node, kind, path, context) => {
    if (kind !== 'parameter' && kind !== 'schema') return;
    for (const extension of DYNAMIC_EXTENSIONS) {
      const value = node[extension];
      if (!isObject(value)) continue;
      const sites = extension === 'x-ms-dynamic-tree'
        ? ['open', 'browse'].filter(key => isObject(value[key])).map(key => [value[key], [...path, extension, key]])
        : [[value, [...path, extension]]];
      for (const [site, sitePath] of sites) found.push({ extension, site, path: sitePath, node, kind, context });
    }
  });
  return found;
}

/** Names an operation accepts: its parameters plus the top-level properties of its body. */
export function acceptedNames(doc, pathKey, operation, operationPath) {
  const pathItem = isObject(doc.paths) ? doc.paths[pathKey] : undefined;
  const names = new Set();
  for (const { parameter } of effectiveParameters(pathItem, ['paths', pathKey], operation, operationPath, doc)) {
    if (typeof parameter.name === 'string') names.add(parameter.name);
    if (parameter.in === 'body') {
      const schema = deref(doc, parameter.schema);
      if (isObject(schema) && isObject(schema.properties)) Object.keys(schema.properties).forEach(name => names.add(name));
    }
  }
  return names;
}
