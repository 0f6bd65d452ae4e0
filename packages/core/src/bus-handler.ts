import type { EventMap } from './event-map.js';
import type { Handler } from './handler.js';
import type { PatternEvent } from './pattern.js';
import type { TypedPublish } from './publish-args.js';

/**
 * The handler of a subscription to `TPattern`: it receives the union of the matched events.
 *
 * @example
 * ```ts
 * const onOrder: BusHandler<AppEvents, 'order.*'> = (event) => logger.info(event.type);
 * ```
 */
export type BusHandler<
  TEvents extends EventMap,
  TPattern extends string,
  TInputs extends EventMap = TEvents,
> = Handler<PatternEvent<TEvents, TPattern>, TypedPublish<TEvents, TInputs>>;
