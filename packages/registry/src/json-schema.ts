/**
 * A JSON Schema object (draft 2020-12), as `z.toJSONSchema()` produces it. Its keywords are
 * read, never trusted: an unknown or ill-typed keyword is ignored.
 *
 * @example
 * ```ts
 * const schema: JSONSchemaObject = { type: 'object', properties: { id: { type: 'string' } } };
 * ```
 */
export interface JSONSchemaObject {
  readonly [keyword: string]: unknown;
}

/**
 * A JSON Schema: an object, or `true` (anything) or `false` (nothing).
 *
 * @example
 * ```ts
 * const anything: JSONSchema = true;
 * ```
 */
export type JSONSchema = boolean | JSONSchemaObject;

/**
 * The part of a Standard Schema (zod 4, valibot, arktype) this package reads: its `~standard`
 * property, with the optional Standard JSON Schema converters zod 4.2 and later provide.
 *
 * @example
 * ```ts
 * const schema: StandardSchemaLike = z.object({ id: z.string() });
 * ```
 */
export interface StandardSchemaLike {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly jsonSchema?: {
      /** The JSON Schema of what the schema accepts. */
      readonly input: (options: StandardJSONSchemaOptions) => Record<string, unknown>;
      /** The JSON Schema of what the schema produces once it has parsed a value. */
      readonly output: (options: StandardJSONSchemaOptions) => Record<string, unknown>;
    };
  };
}

/**
 * The options of a Standard JSON Schema converter.
 *
 * @example
 * ```ts
 * const options: StandardJSONSchemaOptions = { target: 'draft-2020-12' };
 * ```
 */
export interface StandardJSONSchemaOptions {
  /** The JSON Schema dialect to produce. */
  readonly target: 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | (string & Record<never, never>);
  /** Options only the validating library understands. */
  readonly libraryOptions?: Record<string, unknown>;
}

/**
 * A schema this package accepts wherever it checks or exports one: a JSON Schema, or a
 * Standard Schema (such as a zod schema) that it converts to one.
 *
 * @example
 * ```ts
 * const a: SchemaInput = z.object({ id: z.string() });
 * const b: SchemaInput = { type: 'object', properties: { id: { type: 'string' } } };
 * ```
 */
export type SchemaInput = JSONSchema | StandardSchemaLike;
