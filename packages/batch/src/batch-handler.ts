import type { AnyEvent } from '@gossip/core';

/**
 * What a batch handler receives beside its events.
 *
 * @example
 * ```ts
 * const save: BatchHandler = async (events, ctx) => {
 *   await fetch(url, { method: 'POST', body: JSON.stringify(events), signal: ctx.signal });
 * };
 * ```
 */
export interface BatchContext {
  /** Aborted when the handler should stop: at the processor's shutdown deadline. */
  readonly signal: AbortSignal;
  /** Which try this is, from 1; above 1 when the `retry` option calls the handler again. */
  readonly attempt: number;
}

/**
 * A batch handler: called with the events of one batch, in publish order. It reports failure by
 * throwing or rejecting; the batch is then retried (with the `retry` option) and, if it still
 * fails, reported to `onError` as a {@link BatchError} carrying the events.
 *
 * @typeParam TEvent - the events the batch holds
 *
 * @example
 * ```ts
 * const saveOrders: BatchHandler<Event<'order.created', { orderId: string }>> = async (events) => {
 *   await db.orders.insertMany(events.map((event) => event.data));
 * };
 * ```
 */
export type BatchHandler<TEvent extends AnyEvent = AnyEvent> = (
  events: TEvent[],
  ctx: BatchContext,
) => void | Promise<void>;
