import { InvalidOptionError } from './errors.js';
import { unknownOption } from './known-keys.js';
import { noop } from './noop.js';
import { optionName } from './option-name.js';

/**
 * The check of one option: throws InvalidOptionError, naming the option `name`, unless `value`
 * is valid. `fn` is the function the option was given to, for a check that names a part of it
 * (`subscribe({ middleware[1] })`).
 */
export type OptionCheck = (name: string, value: unknown, fn: string) => void;

/** Every option a function takes, each with its check. */
export type OptionChecks = Readonly<Record<string, OptionCheck>>;

/**
 * Checks the options given to `fn`, the one way every option of core is checked: each key must
 * be one of `checks` (a misspelt one is refused, suggesting the closest known key), and each
 * value that is not undefined must pass its check. Errors name the option as the caller wrote
 * it, `fn({ key })` (see {@link optionName}). The options are read once, inside a guard:
 * options that are not an object, or whose reading throws, are refused as `fn(options)`. What
 * was read and checked is returned as a plain object, for the caller to use instead of the
 * options themselves: a getter cannot show the check one value and the caller another.
 *
 * @example
 * ```ts
 * checkOptions('stream', { bufferSize: 0 }, STREAM_CHECKS);
 * // InvalidOptionError: Invalid option "stream({ bufferSize })": expected an integer of at
 * // least 1, received 0.
 * ```
 */
export function checkOptions<T>(fn: string, options: T, checks: OptionChecks): T {
  // Publish runs this for every event given options: keys and values are read once, inside
  // the guard, without the allocations of Object.entries.
  const given = options as Record<string, unknown>;
  const values: unknown[] = [];
  const keys = readOptions(fn, options, () => {
    const keys = Object.keys(given);
    for (const key of keys) values.push(given[key]);
    return keys;
  });
  const read: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = values[i];
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined;
    if (check === undefined) throw unknownOption(fn, [key, value], Object.keys(checks));
    if (value !== undefined && check !== noop) check(optionName(fn, key), value, fn);
    // A known key only: never `__proto__`.
    read[key] = value;
  }
  return read as T;
}

/**
 * Refuses a key of `options` that is not one of `known`, as core refuses its own: with an
 * InvalidOptionError naming it as the caller wrote it (`fn({ key })`, or `fn({ retry.key })`
 * with `prefix` `'retry.'`) and suggesting the closest known option. For packages that plug
 * into gossip, so that a misspelt option fails where it was given instead of being ignored.
 * Options that are not an object are refused as `fn(options)` too, and reading them is guarded
 * (a revoked Proxy is refused the same way).
 *
 * @param fn - the function the options were given to, as its caller wrote it
 * @param options - the options object
 * @param known - every option `fn` takes
 * @param prefix - the path of a nested options object, such as `'retry.'`
 *
 * @example
 * ```ts
 * assertKnownOptions('createBatchProcessor', { batchSzie: 10 }, ['batchSize', 'flushInterval']);
 * // InvalidOptionError: Invalid option "createBatchProcessor({ batchSzie })": expected a known
 * // option (did you mean "batchSize"?), received 10.
 * ```
 */
export function assertKnownOptions(
  fn: string,
  options: unknown,
  known: readonly string[],
  prefix = '',
): asserts options is object {
  const name = `${fn}(options)`;
  for (const key of readOptions(fn, options, () => Object.keys(options as object))) {
    if (!known.includes(key)) {
      const value = readSafely(name, options as Record<string, unknown>, (given) => given[key]);
      throw unknownOption(fn, [key, value], known, prefix);
    }
  }
}

/**
 * Runs `read` on the options given to `fn` once they are known to be an object. Options that
 * are not one, or whose reading throws (a getter, a revoked Proxy), are an InvalidOptionError
 * naming them: `subscribe(options)`.
 */
export function readOptions<T>(fn: string, options: unknown, read: () => T): T {
  const name = `${fn}(options)`;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(name, 'an object', options);
  }
  return readSafely(name, options, read);
}

/**
 * Runs `read` on a value a user gave; what it throws (a getter, a revoked Proxy) becomes an
 * InvalidOptionError naming the value, with the raw error as its cause. `read` is given the
 * value, so that a function made once (`Array.isArray`) serves, without a closure per call.
 *
 * @internal
 */
export function readSafely<V, T>(name: string, value: V, read: (value: V) => T): T {
  try {
    return read(value);
  } catch (error) {
    throw new InvalidOptionError(name, 'an object whose fields can be read', value, {
      cause: error,
    });
  }
}
