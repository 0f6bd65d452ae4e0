import { assertKnownOptions, InvalidOptionError, MAX_DELAY } from '@gossip/core';

/**
 * Returns the options object, `{}` for `undefined`; throws InvalidOptionError for anything else,
 * and for a key that is not one of `known` (a misspelt option, refused before any value is
 * read, suggesting the closest known one). Options are checked when a middleware is made, never
 * while an event is handled.
 */
export function optionsOf<T extends object>(
  name: string,
  options: T | undefined,
  known: readonly (keyof T & string)[],
): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`${name}(options)`, 'an object of options', options);
  }
  assertKnownOptions(name, options, known);
  return options;
}

/** Throws InvalidOptionError unless the value is a function. */
export function assertFunction(
  name: string,
  value: unknown,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new InvalidOptionError(name, 'a function', value);
}

/** Throws InvalidOptionError unless the value is an integer of at least `min`. */
export function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(name, `an integer of at least ${min}`, value);
  }
}

/** Throws InvalidOptionError unless the value is a timer's delay: 0 to MAX_DELAY milliseconds. */
export function assertDuration(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0) || value > MAX_DELAY) {
    throw new InvalidOptionError(name, `a number of milliseconds from 0 to ${MAX_DELAY}`, value);
  }
}

/** Throws InvalidOptionError unless the value is a finite number above 0. */
export function assertPositive(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new InvalidOptionError(name, 'a finite number above 0', value);
  }
}

/** Throws InvalidOptionError unless the value is one of the allowed strings. */
export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new InvalidOptionError(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
}

/**
 * Throws InvalidOptionError unless a middleware was given a function to wrap, naming the
 * handler as the argument of the middleware that `withX()` returned: `withRetry()(handler)`.
 */
export function assertHandler(middleware: string, next: unknown): void {
  assertFunction(`${middleware}()(handler)`, next);
}
