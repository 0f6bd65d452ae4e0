import type { JSONSchemaObject } from './json-schema.js';
import { pushProblem, type ReadContext, type ReadNode } from './read-context.js';
import { readCount } from './read-count.js';
import { asNode, nodesOf, numberOf } from './schema-node.js';
import { indexPath, itemsPath } from './schema-path.js';

/**
 * Compares what reader and writer say of an array: its length, unique items, and each item
 * (tuple items first, then the rest), read with `read`.
 *
 * @internal
 */
export function readArray(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
  read: ReadNode,
) {
  readCount(context, r, w, path, 'minItems', 'items');
  readCount(context, r, w, path, 'maxItems', 'items');
  if (r.uniqueItems === true && w.uniqueItems !== true) {
    pushProblem(
      context,
      path,
      'constraint-stricter',
      'unique items',
      'repeated items',
      'uniqueItems',
    );
  }
  const rPrefix = nodesOf(r, 'prefixItems') ?? [];
  const wPrefix = nodesOf(w, 'prefixItems') ?? [];
  const rRest = asNode(r.items) ?? true;
  const wRest = asNode(w.items) ?? true;
  const writerMax = numberOf(w, 'maxItems') ?? Number.POSITIVE_INFINITY;
  const tuple = Math.max(rPrefix.length, wPrefix.length);
  for (let index = 0; index < tuple && index < writerMax; index++) {
    const written = wPrefix[index] ?? wRest;
    if (written === false) break;
    read(context, rPrefix[index] ?? rRest, written, indexPath(path, index));
  }
  if (wRest !== false && tuple < writerMax) read(context, rRest, wRest, itemsPath(path));
}
