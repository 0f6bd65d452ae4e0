import { accepts } from './accepts.js';
import type { JSONSchemaObject } from './json-schema.js';
import { pushProblem, type ReadContext } from './read-context.js';
import { allowsType, describeSchema, typeOfValue, typesOf } from './schema-node.js';

/**
 * A writer with an enum or const writes finitely many values: each is tried on the reader.
 *
 * @internal
 */
export function readValues(
  context: ReadContext,
  r: JSONSchemaObject,
  w: JSONSchemaObject,
  values: ReadonlyArray<unknown>,
  path: string,
): void {
  const refused = values.filter((value) => !accepts(context.readerRoot, r, value));
  if (refused.length === 0) return;
  const readerTypes = typesOf(r);
  const typeRefused = (value: unknown) =>
    readerTypes !== undefined && !allowsType(readerTypes, typeOfValue(value));
  if (refused.every(typeRefused)) {
    if (refused.every((value) => value === null)) {
      pushProblem(context, path, 'null-refused', describeSchema(r), 'null');
    } else if (refused.length === values.length) {
      pushProblem(context, path, 'type-mismatch', describeSchema(r), describeSchema(w));
    } else {
      pushProblem(context, path, 'type-narrower', describeSchema(r), describeSchema(w));
    }
    return;
  }
  const kind = refused.length === values.length ? 'values-differ' : 'values-narrower';
  pushProblem(context, path, kind, describeSchema(r), describeSchema(w));
}
