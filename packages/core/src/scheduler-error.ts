import { messageOf } from './describe.js';
import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * The bus's scheduler (the `scheduler` option) threw. The bus reports it once and goes on with
 * a first-in first-out buffer holding the events it could take back from the scheduler; those it
 * could not (its `clear()` threw too) are counted in `lost`.
 *
 * @example
 * ```ts
 * bus.lifecycle.on('error', (error) => {
 *   if (error instanceof SchedulerError) alert(`scheduler broke in ${error.method}()`);
 * });
 * ```
 */
export class SchedulerError extends GossipError {
  /** The scheduler's method that threw: `push`, `shift`, `dropOldest`, `clear` or `size`. */
  readonly method: string;
  /** How many queued events the bus could not take back from it. */
  readonly lost: number;

  /**
   * @param method - the scheduler's method that threw
   * @param lost - how many queued events could not be taken back
   * @param cause - what it threw
   */
  constructor(method: string, lost: number, cause: unknown) {
    super(
      ErrorCode.Scheduler,
      `The bus's scheduler threw in ${method}() (${messageOf(cause)}); the bus goes on first in, first out${lost ? `, ${lost} queued events lost` : ''}. Fix the scheduler.`,
      { cause },
    );
    this.method = method;
    this.lost = lost;
  }
}
