/**
 * Safe descriptions of any value for error messages. An error is often built from what a user
 * handed in (a payload, an option, whatever a handler threw), and building it must not throw:
 * a revoked Proxy throws on `instanceof`, `Array.isArray` and every property read; a Symbol
 * throws in a template literal; any object may have a `toString` that throws.
 */

const UNDESCRIBABLE = 'a value that cannot be described (a revoked Proxy?)';

/**
 * A short, readable description of any value: a string quoted, `null`, `10n`, `Symbol(x)`,
 * `a function`, `an array`, `an object`. Never throws.
 *
 * @internal
 * @param value - any value
 * @returns its description
 *
 * @example
 * ```ts
 * describeValue('x'); // '"x"'
 * describeValue(Symbol('s')); // 'Symbol(s)'
 * ```
 */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'function':
        return 'a function';
      case 'symbol':
        return value.toString();
      case 'bigint':
        return `${value.toString()}n`;
      case 'object':
        if (value === null) return 'null';
        return Array.isArray(value) ? 'an array' : 'an object';
      default:
        return String(value);
    }
  } catch {
    return UNDESCRIBABLE;
  }
}

/**
 * A name given by a user (an event type, a pattern) for a message: the string itself, or the
 * description of what was given instead. Never throws.
 *
 * @internal
 * @param value - the name as given
 * @returns the name, or a description of a value that is not a string
 *
 * @example
 * ```ts
 * nameOf('user.created'); // 'user.created'
 * nameOf(Symbol('s')); // 'Symbol(s)'
 * ```
 */
export function nameOf(value: unknown): string {
  return typeof value === 'string' ? value : describeValue(value);
}

/**
 * The name of one pattern, or of several joined by `, ` (`once` takes either), for subscription
 * names and messages: the first ten of them, then `…`, so that a long (or hostile, sparse and
 * huge) array costs no more than ten. Never throws.
 *
 * @internal
 * @param value - a pattern or an array of them, as given
 * @returns their names
 *
 * @example
 * ```ts
 * namesOf(['user.created', 'user.deleted']); // 'user.created, user.deleted'
 * ```
 */
export function namesOf(value: unknown): string {
  try {
    if (Array.isArray(value)) {
      const names = value.slice(0, 10).map(nameOf);
      return (value.length > 10 ? [...names, '…'] : names).join(', ');
    }
  } catch {
    // A revoked Proxy: described below.
  }
  return nameOf(value);
}

/**
 * What a thrown value says went wrong: an Error's message, or a description of anything else.
 * Never throws, whatever the value (a revoked Proxy, an Error whose `message` getter throws).
 *
 * @internal
 * @param cause - anything that was thrown
 * @returns a message for it
 *
 * @example
 * ```ts
 * messageOf(new Error('boom')); // 'boom'
 * messageOf('boom'); // 'threw a non-Error value: "boom"'
 * ```
 */
export function messageOf(cause: unknown): string {
  let isError: boolean;
  try {
    // `instanceof` reads the prototype chain, which a Proxy may refuse.
    isError = cause instanceof Error;
  } catch {
    return `threw ${UNDESCRIBABLE}`;
  }
  if (!isError) return `threw a non-Error value: ${describeValue(cause)}`;
  try {
    const message: unknown = (cause as Error).message;
    if (typeof message === 'string') return message;
  } catch {
    // Said below.
  }
  return 'threw an Error whose message cannot be read';
}
