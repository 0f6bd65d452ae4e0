import type { JSONSchemaObject } from './json-schema.js';
import { pushProblem, type ReadContext, type ReadNode } from './read-context.js';
import { readCount } from './read-count.js';
import { asNode, describeSchema, propertiesOf, requiredOf } from './schema-node.js';
import { extraPath, propertyPath } from './schema-path.js';

/**
 * Compares what reader and writer say of an object: its field count, each field (required or
 * not), unknown fields and their names; each field is read with `read`.
 *
 * @internal
 */
export function readObject(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  path: string,
  read: ReadNode,
) {
  readCount(context, r, w, path, 'minProperties', 'fields');
  readCount(context, r, w, path, 'maxProperties', 'fields');
  const rProps = propertiesOf(r);
  const wProps = propertiesOf(w);
  const rRequired = requiredOf(r);
  const wRequired = requiredOf(w);
  const rExtra = asNode(r.additionalProperties);
  // A writer that does not say `additionalProperties` is read as writing the fields it names:
  // zod's output schemas say `false`, hand-written ones seldom say anything.
  const wExtra = asNode(w.additionalProperties);
  const wMayExtra = wExtra !== undefined && wExtra !== false;
  for (const key of new Set([...rProps.keys(), ...rRequired])) {
    const at = propertyPath(path, key);
    const expected = rProps.get(key) ?? rExtra ?? true;
    const written = wProps.get(key);
    if (written !== undefined) {
      if (rRequired.has(key) && !wRequired.has(key)) {
        pushProblem(context, at, 'optional-required', 'a required field', 'an optional field');
      }
      read(context, expected, written, at);
    } else if (rRequired.has(key)) {
      pushProblem(context, at, 'missing-required', 'a required field', 'no such field');
    } else if (wMayExtra) {
      read(context, expected, wExtra, at);
    }
  }
  for (const [key, written] of wProps) {
    if (rProps.has(key) || rExtra === undefined || rExtra === true) continue;
    const at = propertyPath(path, key);
    if (rExtra === false) {
      pushProblem(context, at, 'field-refused', 'no unknown field', describeSchema(written));
    } else {
      read(context, rExtra, written, at);
    }
  }
  if (wMayExtra) {
    if (rExtra === false) {
      pushProblem(context, path, 'extras-refused', 'no unknown field', 'unknown fields');
    } else if (rExtra !== undefined) {
      read(context, rExtra, wExtra, extraPath(path));
    }
    const rNames = asNode(r.propertyNames);
    if (rNames !== undefined) {
      read(context, rNames, asNode(w.propertyNames) ?? { type: 'string' }, extraPath(path));
    }
  }
}
