import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';

/**
 * Tells whether two schemas are the same contract: the same object, or the same JSON Schema
 * of input and output where both offer Standard JSON Schema. A schema that offers none, or
 * whose conversion throws (zod's does for a transform's output), is only the same as itself.
 *
 * @internal
 */
export function sameSchema(a: StandardSchemaV1, b: StandardSchemaV1): boolean {
  if (a === b) return true;
  const print = fingerprint(a);
  return print !== undefined && print === fingerprint(b);
}

/** The JSON Schema of a schema's input and output, as one string; undefined if it has none. */
function fingerprint(schema: StandardSchemaV1): string | undefined {
  try {
    const converter = (schema['~standard'] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
    if (converter === undefined) return undefined;
    const options = { target: 'draft-2020-12' };
    return JSON.stringify([converter.input(options), converter.output(options)]);
  } catch {
    return undefined;
  }
}
