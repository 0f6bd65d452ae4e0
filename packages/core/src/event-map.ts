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
 */
export type SchemaMap = { readonly [type: string]: StandardSchemaV1 };

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
  -readonly [K in keyof TSchemas]: StandardSchemaV1.InferOutput<TSchemas[K]>;
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
  -readonly [K in keyof TSchemas]: StandardSchemaV1.InferInput<TSchemas[K]>;
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
