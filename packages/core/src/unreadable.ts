import { messageOf } from './describe.js';
import { ValidationError } from './errors.js';

/**
 * The ValidationError of a payload its validator threw on instead of answering: a getter that
 * throws, a Proxy, a revoked Proxy. Untrusted input must fail as invalid input, never escape as
 * the validator's raw error; that error is kept as the cause.
 *
 * @internal
 */
export function unreadable(type: string, error: unknown, version?: number): ValidationError {
  const message = `the payload could not be read: ${messageOf(error)}`;
  return new ValidationError(type, [{ message, path: [] }], { cause: error, version });
}
