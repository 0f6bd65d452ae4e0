import type { AnyEvent } from './event.js';
import type { Filter } from './handler.js';

/**
 * Options of `once`.
 *
 * @example
 * ```ts
 * const event = await bus.once('user.created', { timeout: 5000, signal });
 * ```
 */
export interface OnceOptions<TEvent extends AnyEvent = AnyEvent> {
  /** Rejects with the signal's reason when aborted. */
  readonly signal?: AbortSignal;
  /** Rejects with a TimeoutError after this many milliseconds. */
  readonly timeout?: number;
  /** Waits for the next event the filter accepts. */
  readonly filter?: Filter<TEvent>;
}
