import { type AnyEvent, type Filter, InvalidOptionError } from '@gossip/core';
import { assertKey } from './assert.js';

/**
 * Accepts events whose metadata has `key` set to exactly `value`.
 *
 * Metadata values are strings, so compare with a string: `byMetadata('priority', 'high')`.
 * Works on any event, so it fits the `filter` option of any subscription.
 *
 * @typeParam TEvent - the event filtered; any event, inferred where the filter is used
 * @param key - the metadata key
 * @param value - the value it must have
 * @returns the filter
 * @throws InvalidOptionError if the key is not a non-empty string or the value not a string
 *
 * @example
 * ```ts
 * bus.subscribe('user.created', handler, { filter: byMetadata('source', 'api') });
 * ```
 */
export function byMetadata<TEvent extends AnyEvent = AnyEvent>(
  key: string,
  value: string,
): Filter<TEvent> {
  assertKey('byMetadata(key)', key);
  if (typeof value !== 'string') {
    throw new InvalidOptionError(
      'byMetadata(value)',
      'a string (metadata values are strings)',
      value,
    );
  }
  return (event) => Object.hasOwn(event.metadata, key) && event.metadata[key] === value;
}
