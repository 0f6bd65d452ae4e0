import type { JSONSchema, JSONSchemaObject } from './json-schema.js';

// Helpers that read a JSON Schema's keywords without trusting them: a keyword of the wrong
// shape reads as absent.

/** @internal */
export type Node = boolean | JSONSchemaObject;

/** @internal */
export function isObject(value: unknown): value is JSONSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @internal */
export function asNode(value: unknown): Node | undefined {
  return typeof value === 'boolean' || isObject(value) ? value : undefined;
}

/** @internal */
export function numberOf(schema: JSONSchemaObject, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** @internal */
export function stringOf(schema: JSONSchemaObject, keyword: string): string | undefined {
  const value = schema[keyword];
  return typeof value === 'string' ? value : undefined;
}

/** @internal */
export function nodesOf(schema: JSONSchemaObject, keyword: string): Node[] | undefined {
  const value = schema[keyword];
  if (!Array.isArray(value)) return undefined;
  return value.map((item) => asNode(item) ?? true);
}

/** @internal */
export function propertiesOf(schema: JSONSchemaObject): Map<string, Node> {
  const properties = new Map<string, Node>();
  const value = schema.properties;
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) properties.set(key, asNode(child) ?? true);
  }
  return properties;
}

/** @internal */
export function requiredOf(schema: JSONSchemaObject): Set<string> {
  const value = schema.required;
  return new Set(Array.isArray(value) ? value.filter((key) => typeof key === 'string') : []);
}

/** The values an `enum` or `const` allows, or undefined if the schema has neither. @internal */
export function valuesOf(schema: JSONSchemaObject): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);

/** The JSON type of a value. @internal */
export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * The types a schema allows, from `type` or else from its `enum`/`const` values; undefined when
 * it allows any type.
 *
 * @internal
 */
export function typesOf(schema: JSONSchemaObject): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string' && TYPES.has(type)) return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => TYPES.has(t));
  const values = valuesOf(schema);
  if (values === undefined) return undefined;
  return [...new Set(values.map(typeOfValue))];
}

/** Whether a schema allows `type`: `integer` is a `number`. @internal */
export function allowsType(types: ReadonlyArray<string>, type: string): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

// Keywords that say nothing about which values a schema accepts.
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'id',
]);

/** Whether a schema accepts every value: `true`, `{}`, or only annotations. @internal */
export function acceptsAnything(schema: Node): boolean {
  if (typeof schema === 'boolean') return schema;
  return Object.keys(schema).every((keyword) => ANNOTATIONS.has(keyword));
}

/** Whether two JSON values are equal. @internal */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** The schema a local `$ref` (`#`, `#/$defs/x`, any JSON pointer) names in `root`. @internal */
export function resolvePointer(root: JSONSchema, ref: string): Node | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  const pointer = ref.slice(1);
  if (pointer === '') return asNode(node);
  if (!pointer.startsWith('/')) return undefined;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return asNode(node);
}

/** A short description of what a schema allows, for messages. @internal */
export function describeSchema(schema: Node, depth = 0): string {
  if (typeof schema === 'boolean') return schema ? 'anything' : 'nothing';
  if (acceptsAnything(schema)) return 'anything';
  const values = valuesOf(schema);
  if (values !== undefined) return values.map((value) => JSON.stringify(value)).join(' | ');
  const branches = nodesOf(schema, 'anyOf') ?? nodesOf(schema, 'oneOf');
  if (branches !== undefined && depth < 3) {
    return branches.map((branch) => describeSchema(branch, depth + 1)).join(' | ');
  }
  const types = typesOf(schema);
  if (types === undefined) return typeof schema.$ref === 'string' ? schema.$ref : 'anything';
  return types
    .map((type) => {
      const items = asNode(schema.items);
      if (type === 'array' && items !== undefined && depth < 3 && !('prefixItems' in schema)) {
        const inner = describeSchema(items, depth + 1);
        return inner.includes(' ') ? `array of ${inner}` : `${inner}[]`;
      }
      return type;
    })
    .join(' | ');
}
