import { type AnyEvent, GossipError } from '@gossip/core';
import { BatchErrorCode } from './batch-error-code.js';

/**
 * An event reached a batch processor that is shut down. The bus reports it as a failed handler
 * call (a `HandlerError` whose cause is this error), so the event is counted, not lost. Its
 * `code` is `BATCH_CLOSED`.
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, onError: (error) => {
 *   if (error.cause instanceof BatchClosedError) logger.warn('shut the bus down first');
 * } });
 * ```
 */
export class BatchClosedError extends GossipError {
  /** The event that was refused. */
  readonly event: AnyEvent;
  /** The processor's pattern. */
  readonly processor: string;

  /**
   * @param processor - the processor's pattern
   * @param event - the event that was refused
   */
  constructor(processor: string, event: AnyEvent) {
    super(
      BatchErrorCode.BatchClosed,
      `Cannot add event "${event.type}" (${event.id}) to batch processor "${processor}": it is shut down. Shut the bus down before the processor, so that every event reaches it first.`,
    );
    this.event = event;
    this.processor = processor;
  }
}
