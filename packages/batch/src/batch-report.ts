import type { AnyEvent } from '@gossip/core';
import type { BatchError } from './batch-error.js';

/**
 * What `flush()` or `shutdown()` waited for: the batches that settled, and those that failed.
 * Every failure in it has also been given to `onError`.
 *
 * @typeParam TEvent - the events of the batches
 *
 * @example
 * ```ts
 * const report = await processor.shutdown();
 * if (report.failed.length > 0) logger.warn(`${report.failed.length} batches failed`);
 * ```
 */
export interface BatchReport<TEvent extends AnyEvent = AnyEvent> {
  /** How many batches settled (handled or failed). */
  readonly batches: number;
  /** How many events those batches held. */
  readonly events: number;
  /** The batches that failed, each with its events. */
  readonly failed: ReadonlyArray<BatchError<TEvent>>;
}
