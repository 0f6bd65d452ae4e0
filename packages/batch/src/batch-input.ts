import type { AnyEvent, HandlerContext } from '@gossip/core';

/**
 * The handler `asHandler()` returns: takes one event for the processor. It returns nothing once
 * the event is in a batch, or a promise that waits for room when the processor is full.
 *
 * @typeParam TEvent - the events the processor gathers
 *
 * @example
 * ```ts
 * const handle: BatchInput<OrderCreated> = processor.asHandler();
 * bus.subscribe('order.created', handle);
 * ```
 */
export type BatchInput<TEvent extends AnyEvent> = (
  event: TEvent,
  ctx?: Pick<HandlerContext, 'signal'>,
) => void | Promise<void>;
