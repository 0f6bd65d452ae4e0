import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * An event map: each event type's name mapped to its payload type. Written by hand, or
 * inferred from schemas with {@link InferEventMap}.
 *
 * Names are hierarchical, `domain.entity.action`, segments separated by dots. A payload of
 * `undefined` (or `void`) means the event carries no data.
 *
 * @example
 * ```ts
 * type AppEvents = {
 *   'user.created': { userId: string; email: string };
 *   'app.started': undefined;
 * };
 * const bus = createEventBus<AppEvents>();
 * ```
 */
export type EventMap = object;

/**
 * The event type names of an event map.
 *
 * @example
 * ```ts
 * type Names = EventType<{ 'a.b': number; 'c.d': string }>; // 'a.b' | 'c.d'
 * ```
 */
export type EventType<TEvents extends EventMap> = keyof TEvents & string;

/**
 * A schema map: each event type's name mapped to a Standard Schema (a zod schema, for example),
 * or to its schema versions made by `versions(...)`, which type the event by the latest.
 *
 * @example
 * ```ts
 * const schemas: SchemaMap = { 'user.created': z.object({ email: z.email() }) };
 * ```
 *
 * The compiler checks that each value has the Standard Schema key (`~standard`); what the key
 * holds is checked at run time, when the schema is registered (an InvalidOptionError names the
 * event). Comparing a zod schema's `~standard` with the whole StandardSchemaV1 interface would
 * cost the compiler about as much as inferring the schema's type, for every schema of the map,
 * subscribed to or not.
 */
export type SchemaMap = { readonly [type: string]: { readonly '~standard': unknown } };

/**
 * A schema's output type: zod's own `_zod.output` where the schema has it (what its Standard
 * Schema types hold too, read more cheaply), else the Standard Schema's.
 *
 * @example
 * ```ts
 * type Out = SchemaOutput<z.ZodDefault<z.ZodNumber>>; // number
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type SchemaOutput<TSchema> = TSchema extends { readonly _zod: { readonly output: infer O } }
  ? O
  : TSchema extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<TSchema>
    : never;

/**
 * A schema's input type, as {@link SchemaOutput} reads its output.
 *
 * @example
 * ```ts
 * type In = SchemaInput<z.ZodDefault<z.ZodNumber>>; // number | undefined
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type SchemaInput<TSchema> = TSchema extends { readonly _zod: { readonly input: infer I } }
  ? I
  : TSchema extends StandardSchemaV1
    ? StandardSchemaV1.InferInput<TSchema>
    : never;

/**
 * The event map a schema map describes: each payload is its schema's output type, as handlers
 * receive it after validation.
 *
 * @example
 * ```ts
 * const events = defineEvents({ 'user.created': z.object({ email: z.string() }) });
 * type AppEvents = InferEventMap<typeof events>; // { 'user.created': { email: string } }
 * ```
 */
export type InferEventMap<TSchemas extends SchemaMap> = {
  -readonly [K in keyof TSchemas]: SchemaOutput<TSchemas[K]>;
};

/**
 * The payloads a schema map accepts at publish: each schema's input type (before defaults and
 * transforms are applied).
 *
 * @example
 * ```ts
 * const events = defineEvents({ 'job.queued': z.object({ tries: z.number().default(0) }) });
 * type Inputs = InferEventInputs<typeof events>; // { 'job.queued': { tries?: number } }
 * ```
 */
export type InferEventInputs<TSchemas extends SchemaMap> = {
  -readonly [K in keyof TSchemas]: SchemaInput<TSchemas[K]>;
};

/**
 * Declares an application's events once, as schemas. The result is the schema map itself,
 * typed exactly, to pass to `createEventBus({ schemas })` or a `SchemaRegistry`. An event
 * whose contract changed takes `versions(v1).upcast(v2, from)`: it is typed by its latest
 * version, and older versions received from elsewhere are upcast before dispatch.
 *
 * @param schemas - each event type's name mapped to its schema
 * @returns the same schema map
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * const events = defineEvents({
 *   'user.created': z.object({ userId: z.string(), email: z.email() }),
 *   'order.paid': z.object({ orderId: z.string(), amount: z.number().positive() }),
 * });
 * const bus = createEventBus({ schemas: events });
 * ```
 */
export function defineEvents<const TSchemas extends SchemaMap>(schemas: TSchemas): TSchemas {
  return schemas;
}
