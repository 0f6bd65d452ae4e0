import { messageOf } from './describe.js';
import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * The bus's scheduler (the `scheduler` option) failed: one of its methods threw, or returned an
 * item it was not given, or nothing while it held some. The bus reports it once and goes on
 * first in, first out, with every event the scheduler held (it keeps track of them, so none is
 * lost).
 *
 * @example
 * ```ts
 * bus.lifecycle.on('error', (error) => {
 *   if (error instanceof SchedulerError) alert(`the scheduler failed in ${error.method}()`);
 * });
 * ```
 */
export class SchedulerError extends GossipError {
  /** The scheduler's method that failed: `push`, `shift`, `dropOldest` or `clear`. */
  readonly method: string;

  /**
   * @param method - the scheduler's method that failed
   * @param cause - what it threw, or what was wrong with what it returned
   */
  constructor(method: string, cause: unknown) {
    super(
      ErrorCode.Scheduler,
      `The bus's scheduler failed in ${method}() (${messageOf(cause)}); the bus goes on first in, first out with the events it held. Fix the scheduler.`,
      { cause },
    );
    this.method = method;
  }
}
