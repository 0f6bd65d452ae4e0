import type { AnyEvent, Filter } from '@gossip/core';
import { assertFunction } from './assert.js';

/**
 * A filter from a predicate typed by the event: in a subscription's `filter` option the event
 * type is inferred from the pattern, so the predicate reads the payload with its real type.
 *
 * The predicate's answer is taken as a boolean; if it throws, the bus reports the failure for
 * that subscription and skips the event.
 *
 * @typeParam TEvent - the event the predicate reads; inferred where the filter is used
 * @param predicate - returns true for the events to accept
 * @returns the filter
 * @throws InvalidOptionError if the predicate is not a function
 *
 * @example
 * ```ts
 * bus.subscribe('order.paid', handler, { filter: where((event) => event.data.amount > 100) });
 * ```
 */
export function where<TEvent extends AnyEvent = AnyEvent>(
  predicate: (event: TEvent) => boolean,
): Filter<TEvent> {
  assertFunction('where(predicate)', predicate);
  return (event) => Boolean(predicate(event));
}
