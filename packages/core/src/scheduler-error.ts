import { messageOf } from './describe.js';
import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * The bus's scheduler (the `scheduler` option) failed: one of its methods threw, or returned
 * something other than an item. The bus reports it once and goes on first in, first out with
 * the events the scheduler gave back; `lost` counts those it could not (one a throwing `shift`
 * had taken out, or all of them if its `clear()` threw too): they are neither delivered nor
 * listed in the shutdown report.
 *
 * @example
 * ```ts
 * bus.lifecycle.on('error', (error) => {
 *   if (error instanceof SchedulerError) alert(`scheduler failed in ${error.method}(), ${error.lost} lost`);
 * });
 * ```
 */
export class SchedulerError extends GossipError {
  /** The scheduler's method that failed: `push`, `shift`, `dropOldest` or `clear`. */
  readonly method: string;
  /** How many queued events the scheduler could not give back. */
  readonly lost: number;

  /**
   * @param method - the scheduler's method that failed
   * @param lost - how many queued events it could not give back
   * @param cause - what it threw, or what was wrong with what it returned
   */
  constructor(method: string, lost: number, cause: unknown) {
    super(
      ErrorCode.Scheduler,
      `The bus's scheduler failed in ${method}() (${messageOf(cause)}); the bus goes on first in, first out${lost ? `, and ${lost} queued events were lost` : ''}. Fix the scheduler.`,
      { cause },
    );
    this.method = method;
    this.lost = lost;
  }
}
