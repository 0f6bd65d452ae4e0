import type { JSONSchema } from './json-schema.js';
import { merge } from './merge.js';
import { acceptsAnything, isObject, type Node, resolvePointer } from './schema-node.js';

/**
 * The node a chain of `$ref`s leads to, with the keywords beside each `$ref` merged in;
 * undefined for a `$ref` that cannot be resolved, or a chain too long to follow (a loop).
 *
 * @internal
 */
export function deref(root: JSONSchema, node: Node): Node | undefined {
  let current: Node = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) return undefined;
    const target = resolvePointer(root, current.$ref);
    if (target === undefined) return undefined;
    const { $ref: _ref, ...siblings } = current;
    current = acceptsAnything(siblings) ? target : merge(target, siblings);
  }
  return current;
}
