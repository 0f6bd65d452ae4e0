import { InvalidOptionError } from '@gossip/core';

/** Throws InvalidOptionError unless the value is a function. */
export function assertFunction(
  name: string,
  value: unknown,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new InvalidOptionError(name, 'a function', value);
}

/** Throws InvalidOptionError unless the value is a non-empty string (a metadata key). */
export function assertKey(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(name, 'a non-empty string', value);
  }
}

/** Throws InvalidOptionError unless every value is a function (a filter). */
export function assertFilters(name: string, filters: readonly unknown[]): void {
  for (const [i, filter] of filters.entries()) assertFunction(`${name}(filters[${i}])`, filter);
}
