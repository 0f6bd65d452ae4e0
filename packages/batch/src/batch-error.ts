import { type AnyEvent, GossipError } from '@gossip/core';
import { BatchErrorCode } from './batch-error-code.js';

/**
 * A batch failed: its handler threw or rejected on every attempt (or the batch was abandoned at
 * the shutdown deadline). Carries the events of the batch, so none is lost: retry them, store
 * them, or send them to a dead-letter handler. Its `code` is `BATCH_FAILED`
 * ({@link BatchErrorCode}); `cause` is what the last attempt threw.
 *
 * @typeParam TEvent - the events of the batch
 *
 * @example
 * ```ts
 * const processor = new BatchProcessor('order.created', {
 *   onError: async (error) => {
 *     await deadLetters.insert(error.events.map((event) => ({ event, reason: String(error.cause) })));
 *   },
 * }, saveOrders);
 * ```
 */
export class BatchError<TEvent extends AnyEvent = AnyEvent> extends GossipError {
  /** The events of the failed batch, in publish order. */
  readonly events: ReadonlyArray<TEvent>;
  /** The processor's pattern. */
  readonly processor: string;
  /** How many times the batch handler was called (0 if the batch never started). */
  readonly attempts: number;

  /**
   * @param processor - the processor's pattern
   * @param events - the events of the batch
   * @param attempts - how many times the batch handler was called
   * @param cause - what the last attempt threw (any value), or why the batch was abandoned
   */
  constructor(processor: string, events: ReadonlyArray<TEvent>, attempts: number, cause: unknown) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    super(
      BatchErrorCode.BatchFailed,
      `Batch of ${events.length} "${processor}" events failed after ${tries}: ${reason(cause)}. The events are on error.events: retry them, or send them to a dead-letter handler.`,
      { cause },
    );
    this.events = events;
    this.processor = processor;
    this.attempts = attempts;
  }
}

/** Words the cause; never throws, so a hostile value (a revoked Proxy, a throwing `message`
 * getter) cannot stop a failed batch from being reported. */
function reason(cause: unknown): string {
  try {
    if (cause instanceof Error) return String(cause.message);
    return `threw a non-Error value: ${typeof cause === 'string' ? JSON.stringify(cause) : String(cause)}`;
  } catch {
    return 'threw a value that cannot be read';
  }
}
