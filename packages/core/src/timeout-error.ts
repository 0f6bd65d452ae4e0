import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * Something took longer than its deadline.
 *
 * @example
 * ```ts
 * await bus.once('user.created', { timeout: 1000 }); // rejects with TimeoutError after a second
 * ```
 */
export class TimeoutError extends GossipError {
  /** The deadline that passed, in milliseconds. */
  readonly timeout: number;

  /**
   * @param what - what timed out, for the message
   * @param timeout - the deadline in milliseconds
   */
  constructor(what: string, timeout: number) {
    super(ErrorCode.Timeout, `${what} timed out after ${timeout} ms.`);
    this.timeout = timeout;
  }
}
