/**
 * The name an InvalidOptionError gives an option: the function and the option as a caller
 * writes them, `createEventBus({ workers })`. Every gossip package names its options this way,
 * so that a message points at the call to fix whichever package threw it. A path names a field
 * inside an option (`publish({ metadata.region })`, `subscribe({ middleware[1] })`); an
 * argument that is not an options object is named as `fn(argument)` (`subscribe(handler)`).
 *
 * @param fn - the function that was given the option, as its caller writes it
 * @param option - the option's key, or a path into it
 * @returns the name, such as `withRetry({ attempts })`
 *
 * @example
 * ```ts
 * if (!(attempts >= 1)) {
 *   throw new InvalidOptionError(optionName('withRetry', 'attempts'), 'at least 1', attempts);
 * }
 * // Invalid option "withRetry({ attempts })": expected at least 1, received 0.
 * ```
 */
export function optionName(fn: string, option: string): string {
  return `${fn}({ ${option} })`;
}
