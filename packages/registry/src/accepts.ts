import type { JSONSchema } from './json-schema.js';
import {
  allowsType,
  asNode,
  deepEqual,
  isObject,
  type Node,
  nodesOf,
  numberOf,
  propertiesOf,
  requiredOf,
  resolvePointer,
  stringOf,
  typeOfValue,
  typesOf,
  valuesOf,
} from './schema-node.js';

/**
 * Whether a schema accepts one JSON value: the checker's way to read a writer's `enum` or
 * `const`, whose values it can try one by one. Covers the keywords the checker reads; a
 * keyword it cannot judge (an invalid `pattern`) accepts.
 *
 * @internal
 */
export function accepts(root: JSONSchema, schema: Node, value: unknown, depth = 0): boolean {
  if (typeof schema === 'boolean') return schema;
  if (depth > 64) return true;
  const next = (child: Node, v: unknown) => accepts(root, child, v, depth + 1);
  if (typeof schema.$ref === 'string') {
    const target = resolvePointer(root, schema.$ref);
    if (target !== undefined && !next(target, value)) return false;
  }
  const anyOf = nodesOf(schema, 'anyOf') ?? nodesOf(schema, 'oneOf');
  if (anyOf !== undefined && !anyOf.some((branch) => next(branch, value))) return false;
  const allOf = nodesOf(schema, 'allOf');
  if (allOf !== undefined && !allOf.every((branch) => next(branch, value))) return false;
  const values = valuesOf(schema);
  if (values !== undefined && !values.some((allowed) => deepEqual(allowed, value))) return false;
  const types = typesOf(schema);
  if (types !== undefined && !allowsType(types, typeOfValue(value))) return false;
  if (typeof value === 'number') return acceptsNumber(schema, value);
  if (typeof value === 'string') return acceptsString(schema, value);
  if (Array.isArray(value)) {
    if (value.length < (numberOf(schema, 'minItems') ?? 0)) return false;
    if (value.length > (numberOf(schema, 'maxItems') ?? Number.POSITIVE_INFINITY)) return false;
    const prefix = nodesOf(schema, 'prefixItems') ?? [];
    const rest = asNode(schema.items) ?? true;
    return value.every((item, index) => next(prefix[index] ?? rest, item));
  }
  if (isObject(value)) {
    const properties = propertiesOf(schema);
    const extra = asNode(schema.additionalProperties) ?? true;
    if ([...requiredOf(schema)].some((key) => !Object.hasOwn(value, key))) return false;
    return Object.entries(value).every(([key, item]) => next(properties.get(key) ?? extra, item));
  }
  return true;
}

function acceptsNumber(schema: Record<string, unknown>, value: number): boolean {
  const minimum = numberOf(schema, 'minimum');
  const maximum = numberOf(schema, 'maximum');
  const exclusiveMinimum = numberOf(schema, 'exclusiveMinimum');
  const exclusiveMaximum = numberOf(schema, 'exclusiveMaximum');
  const multipleOf = numberOf(schema, 'multipleOf');
  if (minimum !== undefined && value < minimum) return false;
  if (maximum !== undefined && value > maximum) return false;
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) return false;
  if (exclusiveMaximum !== undefined && value >= exclusiveMaximum) return false;
  return multipleOf === undefined || multipleOf <= 0 || isMultiple(value, multipleOf);
}

function acceptsString(schema: Record<string, unknown>, value: string): boolean {
  const length = [...value].length;
  if (length < (numberOf(schema, 'minLength') ?? 0)) return false;
  if (length > (numberOf(schema, 'maxLength') ?? Number.POSITIVE_INFINITY)) return false;
  const pattern = stringOf(schema, 'pattern');
  if (pattern === undefined) return true;
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}

/** Whether `value` is a multiple of `divisor`, with room for floating point. @internal */
export function isMultiple(value: number, divisor: number): boolean {
  const quotient = value / divisor;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}
