import type { AnyEvent, Filter } from '@gossip/core';
import { assertFilters } from './assert.js';

/**
 * Accepts an event if any filter accepts it; stops at the first that does.
 * `or()` of no filters accepts no event.
 *
 * @typeParam TEvent - the event filtered; inferred from the filters and where the result is used
 * @param filters - the filters, tried in order
 * @returns the filter
 * @throws InvalidOptionError if one of them is not a function
 *
 * @example
 * ```ts
 * bus.subscribe('user.created', handler, { filter: or(byMetadata('source', 'api'), byMetadata('source', 'web')) });
 * ```
 */
export function or<TEvent extends AnyEvent = AnyEvent>(
  ...filters: ReadonlyArray<Filter<TEvent>>
): Filter<TEvent> {
  assertFilters('or', filters);
  const list = [...filters];
  return (event) => list.some((filter) => filter(event));
}
