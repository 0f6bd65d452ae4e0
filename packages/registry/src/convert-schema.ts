import { toJSONSchema } from 'zod';
import type { JSONSchema, SchemaInput, StandardSchemaLike } from './json-schema.js';

/**
 * Which side of a schema to convert: `input`, what it accepts (a reader), or `output`, what it
 * produces (a writer: the payload that goes on the wire after defaults and transforms).
 *
 * @internal
 */
export type SchemaSide = 'input' | 'output';

/**
 * The keyword a converted schema carries where zod holds a refinement JSON Schema cannot say:
 * a reader with one may refuse data its JSON Schema accepts, so the checker reports
 * `cannot-check` there.
 *
 * @internal
 */
export const UNCHECKED = 'x-gossip-unchecked';

/** @internal */
export type Converted =
  | { readonly success: true; readonly data: JSONSchema }
  | { readonly success: false; readonly reason: string };

function isStandardSchema(schema: SchemaInput): schema is StandardSchemaLike {
  return typeof schema === 'object' && schema !== null && '~standard' in schema;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '');
}

// zod drops a refinement from its JSON Schema silently: find it in the schema's checks (zod's
// `_zod.def`, which zod documents for library authors) and mark the node instead.
function markRefinements(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const def = (ctx.zodSchema as { _zod?: { def?: { checks?: unknown } } })._zod?.def;
  const checks = Array.isArray(def?.checks) ? def.checks : [];
  const refined = checks.some(
    (check: { _zod?: { def?: { check?: unknown } } }) => check._zod?.def?.check === 'custom',
  );
  if (refined) ctx.jsonSchema[UNCHECKED] = 'a refinement cannot be represented in JSON Schema';
}

/**
 * Converts a schema to a JSON Schema (draft 2020-12): a JSON Schema is returned as it is; a
 * Standard Schema through its `~standard.jsonSchema` converter where it has one (zod 4.2 and
 * later), else through zod's `toJSONSchema` if it is a zod schema.
 *
 * @param schema - the schema to convert
 * @param side - `input` for a reader, `output` for a writer
 * @param mark - mark refinements with {@link UNCHECKED} (for the checker, not for export)
 * @returns the JSON Schema, or why there is none (a transform, a custom type, a non-zod
 *   Standard Schema without a converter)
 * @internal
 */
export function convertSchema(schema: SchemaInput, side: SchemaSide, mark: boolean): Converted {
  if (!isStandardSchema(schema)) {
    if (typeof schema === 'boolean' || (typeof schema === 'object' && schema !== null)) {
      return { success: true, data: schema };
    }
    return { success: false, reason: 'the schema is neither a JSON Schema nor a Standard Schema' };
  }
  const libraryOptions = mark ? { override: markRefinements } : {};
  try {
    const standard = schema['~standard'];
    if (standard.jsonSchema !== undefined) {
      const data = standard.jsonSchema[side]({ target: 'draft-2020-12', libraryOptions });
      return { success: true, data };
    }
    if ('_zod' in schema) {
      const zodSchema = schema as unknown as Parameters<typeof toJSONSchema>[0];
      return { success: true, data: toJSONSchema(zodSchema, { io: side, ...libraryOptions }) };
    }
    return {
      success: false,
      reason: `the ${standard.vendor} schema offers no JSON Schema converter (~standard.jsonSchema)`,
    };
  } catch (error) {
    return { success: false, reason: reasonOf(error) };
  }
}
