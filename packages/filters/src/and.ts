import type { AnyEvent, Filter } from '@gossip/core';
import { assertFilters } from './assert.js';

/**
 * Accepts an event only if every filter accepts it; stops at the first that refuses.
 * `and()` of no filters accepts every event.
 *
 * @typeParam TEvent - the event filtered; inferred from the filters and where the result is used
 * @param filters - the filters, tried in order
 * @returns the filter
 * @throws InvalidOptionError if one of them is not a function
 *
 * @example
 * ```ts
 * const vip = and(byMetadata('customer_type', 'vip'), or(byMetadata('priority', 'high'), byMetadata('amount_threshold', 'exceeded')));
 * ```
 */
export function and<TEvent extends AnyEvent = AnyEvent>(
  ...filters: ReadonlyArray<Filter<TEvent>>
): Filter<TEvent> {
  assertFilters('and', filters);
  const list = [...filters];
  return (event) => list.every((filter) => filter(event));
}
