import {
  type AnyEvent,
  assertKnownOptions,
  type EventBus,
  type EventMap,
  type GossipError,
  type Pattern,
  type PatternEvent,
  type SubscribeOptions,
} from '@gossip/core';
import type { BatchHandler } from './batch-handler.js';
import { BATCH_OPTIONS, type BatchOptions, resolveBatchOptions } from './batch-options.js';
import { BatchProcessor } from './batch-processor.js';

/**
 * Options of {@link createBatchProcessor}: those of a {@link BatchProcessor}, and the options of
 * the subscription it makes.
 *
 * @typeParam TEvent - the events the processor gathers
 *
 * @example
 * ```ts
 * createBatchProcessor(bus, 'order.*', {
 *   batchSize: 50,
 *   subscribe: { name: 'order-archive', filter: (event) => event.metadata.source === 'api' },
 * }, archiveOrders);
 * ```
 */
export interface CreateBatchProcessorOptions<TEvent extends AnyEvent = AnyEvent>
  extends BatchOptions<TEvent> {
  /**
   * Options of the subscription: a name, a filter (events it refuses never reach a batch),
   * a signal to unsubscribe.
   * @default {} (named after the pattern, no filter)
   */
  readonly subscribe?: SubscribeOptions<TEvent>;
}

/**
 * Creates a {@link BatchProcessor} and subscribes it to the bus, with the events typed by the
 * bus's event map and the pattern: the batch handler receives `PatternEvent<TEvents, TPattern>[]`
 * with no annotation, and a pattern that matches no event does not compile.
 *
 * At exit, shut the bus down first, then the processor, so that every event queued on the bus
 * reaches a batch: `await bus.shutdown(); await processor.shutdown();`.
 *
 * @param bus - the bus to subscribe to
 * @param pattern - an exact event name, or a pattern with `*` or `**`
 * @param options - the processor's options (see {@link BatchOptions}) and `subscribe`
 * @param handler - called with each batch
 * @returns the processor, already subscribed
 * @throws InvalidOptionError for a bad option or a key that is not an option, naming it
 *
 * @example
 * ```ts
 * const processor = createBatchProcessor(bus, 'order.created', { batchSize: 100 }, async (events) => {
 *   await db.orders.insertMany(events.map((event) => event.data)); // event.data is typed
 * });
 * ```
 */
export function createBatchProcessor<
  TEvents extends EventMap,
  TInputs extends EventMap,
  const TPattern extends Pattern<TEvents>,
>(
  bus: EventBus<TEvents, TInputs>,
  pattern: TPattern,
  options: CreateBatchProcessorOptions<PatternEvent<TEvents, TPattern>>,
  handler: BatchHandler<PatternEvent<TEvents, TPattern>>,
): BatchProcessor<PatternEvent<TEvents, TPattern>> {
  // Before `subscribe` is taken out, so that a misspelt one is refused (and suggested) too.
  assertKnownOptions('createBatchProcessor', options, [...BATCH_OPTIONS, 'subscribe']);
  const { subscribe, ...rest } = options;
  // Without an onError of its own (or with `onError: undefined`), a failed batch takes the
  // bus's error path.
  const settings = {
    ...rest,
    onError: rest.onError ?? ((error: GossipError) => bus.report(error)),
  };
  // Checked here first, so that a bad one is named as an option of this function.
  resolveBatchOptions('createBatchProcessor', pattern, settings, handler);
  const processor = new BatchProcessor<PatternEvent<TEvents, TPattern>>(pattern, settings, handler);
  bus.subscribe(pattern, processor.asHandler(), subscribe);
  return processor;
}
