/**
 * A read-only view of the spec's (Swagger 2.0) schema objects, used to resolve field paths
 * for OData and JSON Patch: `$ref` into `#/definitions`, `allOf` merged.
 */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
  allOf?: SchemaNode[];
  enum?: unknown[];
  required?: string[];
  readOnly?: boolean;
  'x-nullable'?: boolean;
  [key: string]: unknown;
}

export interface SchemaRoot {
  definitions?: Record<string, SchemaNode>;
  [key: string]: unknown;
}

/** What a value at a path is, as far as filtering, sorting and patching care. */
export type FieldKind = 'string' | 'datetime' | 'number' | 'boolean' | 'object' | 'array' | 'any';

const REF_PREFIX = '#/definitions/';

export class SchemaModel {
  private readonly resolved = new WeakMap<SchemaNode, SchemaNode>();

  constructor(private readonly root: SchemaRoot) {}

  definition(name: string): SchemaNode {
    const node = this.root.definitions?.[name];
    if (!node) throw new Error(`The spec has no definition '${name}'`);
    return this.resolve(node);
  }

  /** Follows `$ref`s and merges `allOf` members into one node (memoised). */
  resolve(node: SchemaNode): SchemaNode {
    const cached = this.resolved.get(node);
    if (cached) return cached;
    let current = node;
    const seen = new Set<string>();
    while (current.$ref) {
      const ref = current.$ref;
      if (!ref.startsWith(REF_PREFIX) || seen.has(ref)) throw new Error(`Unsupported or circular $ref '${ref}'`);
      seen.add(ref);
      const target = this.root.definitions?.[decodeURIComponent(ref.slice(REF_PREFIX.length))];
      if (!target) throw new Error(`Unresolvable $ref '${ref}'`);
      current = target;
    }
    let result = current;
    if (current.allOf?.length) {
      const merged: SchemaNode = { ...current, properties: { ...current.properties }, required: [...(current.required ?? [])] };
      delete merged.allOf;
      for (const part of current.allOf) {
        const r = this.resolve(part);
        merged.type ??= r.type;
        Object.assign(merged.properties!, r.properties);
        merged.required!.push(...(r.required ?? []));
      }
      result = merged;
    }
    this.resolved.set(node, result);
    return result;
  }

  kind(node: SchemaNode): FieldKind {
    const n = this.resolve(node);
    const type = Array.isArray(n.type) ? n.type.find((t) => t !== 'null') : n.type;
    switch (type) {
      case 'string':
        return n.format === 'date-time' || n.format === 'date' ? 'datetime' : 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        return 'array';
      case 'object':
        return n.properties ? 'object' : 'any';
      default:
        if (n.properties) return 'object';
        if (n.items) return 'array';
        return 'any';
    }
  }

  /**
   * The schema of property `name` of an object node; `undefined` when the object declares its
   * properties and `name` is not among them. Free-form objects accept any name.
   */
  property(node: SchemaNode, name: string): SchemaNode | undefined {
    const n = this.resolve(node);
    if (n.properties && Object.prototype.hasOwnProperty.call(n.properties, name)) return this.resolve(n.properties[name]!);
    if (this.kind(n) === 'any') return {};
    if (!n.properties && typeof n.additionalProperties === 'object') return this.resolve(n.additionalProperties);
    return undefined;
  }

  /** The item schema of an array node (free-form when untyped). */
  items(node: SchemaNode): SchemaNode {
    const n = this.resolve(node);
    const items = Array.isArray(n.items) ? n.items[0] : n.items;
    return items ? this.resolve(items) : {};
  }

  propertyNames(node: SchemaNode): string[] {
    return Object.keys(this.resolve(node).properties ?? {});
  }
}
