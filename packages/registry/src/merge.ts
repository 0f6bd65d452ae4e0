import type { JSONSchemaObject } from './json-schema.js';
import { isObject, type Node } from './schema-node.js';

/** A copy of `schema` without `keywords`. @internal */
export function without(
  schema: JSONSchemaObject,
  keywords: ReadonlyArray<string>,
): JSONSchemaObject {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) if (!keywords.includes(key)) rest[key] = value;
  return rest;
}

/**
 * A branch of a union or intersection, with the keywords beside the union applied to it.
 *
 * @internal
 */
export function merge(branch: Node, siblings: JSONSchemaObject): Node {
  if (typeof branch === 'boolean') return branch ? siblings : false;
  const merged: Record<string, unknown> = { ...siblings, ...branch };
  if (isObject(siblings.properties) && isObject(branch.properties)) {
    merged.properties = { ...siblings.properties, ...branch.properties };
  }
  if (Array.isArray(siblings.required) && Array.isArray(branch.required)) {
    merged.required = [...new Set([...siblings.required, ...branch.required])];
  }
  return merged;
}

/** Folds a branch of an `allOf` into what the branches before it merged to. @internal */
export function mergeAll(merged: Node, branch: Node): Node {
  if (merged === false || branch === false) return false;
  if (merged === true) return branch;
  return merge(branch, merged);
}
