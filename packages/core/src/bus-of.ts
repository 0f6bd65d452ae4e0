import type { EventBus } from './event-bus.js';
import type { InferEventInputs, InferEventMap, SchemaMap } from './event-map.js';

/**
 * The bus of a schema map, as `createEventBus({ schemas })` returns it: handy to type a
 * function or a class field that takes the bus.
 *
 * @example
 * ```ts
 * const events = defineEvents({ 'user.created': z.object({ email: z.string() }) });
 * class Mailer {
 *   constructor(bus: BusOf<typeof events>) {
 *     bus.subscribe('user.created', (event) => send(event.data.email));
 *   }
 * }
 * ```
 */
export type BusOf<TSchemas extends SchemaMap> = EventBus<
  InferEventMap<TSchemas>,
  InferEventInputs<TSchemas>
>;
