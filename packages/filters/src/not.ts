import type { AnyEvent, Filter } from '@gossip/core';
import { assertFunction } from './assert.js';

/**
 * Accepts exactly the events the filter refuses.
 *
 * @typeParam TEvent - the event filtered; inferred from the filters and where the result is used
 * @param filter - the filter to invert
 * @returns the filter
 * @throws InvalidOptionError if the filter is not a function
 *
 * @example
 * ```ts
 * bus.subscribe('order.created', handler, { filter: not(byMetadata('source', 'test')) });
 * ```
 */
export function not<TEvent extends AnyEvent = AnyEvent>(filter: Filter<TEvent>): Filter<TEvent> {
  assertFunction('not(filter)', filter);
  return (event) => !filter(event);
}
