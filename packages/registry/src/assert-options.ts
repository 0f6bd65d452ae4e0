import { assertKnownOptions, InvalidOptionError } from '@gossip/core';

/**
 * Refuses the options given to `fn` unless they are an object whose every key is one of
 * `known`: a misspelt option is named (`toAsyncAPI({ tilte })`) and the closest one suggested,
 * instead of being ignored.
 *
 * @internal
 */
export function assertOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(`${fn}(options)`, 'an object', options);
  }
  assertKnownOptions(fn, options, known);
}
