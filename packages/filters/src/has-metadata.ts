import type { AnyEvent, Filter } from '@gossip/core';
import { assertKey } from './assert.js';

/**
 * Accepts events whose metadata has `key`, whatever its value.
 *
 * @typeParam TEvent - the event filtered; any event, inferred where the filter is used
 * @param key - the metadata key
 * @returns the filter
 * @throws InvalidOptionError if the key is not a non-empty string
 *
 * @example
 * ```ts
 * bus.subscribe('order.created', handler, { filter: hasMetadata('user_id') });
 * ```
 */
export function hasMetadata<TEvent extends AnyEvent = AnyEvent>(key: string): Filter<TEvent> {
  assertKey('hasMetadata(key)', key);
  return (event) => Object.hasOwn(event.metadata, key);
}
