import { type AnyEvent, GossipError } from '@gossip/core';
import { MiddlewareErrorCode } from './error-code.js';
import { textOf } from './text-of.js';

/**
 * withRetry's `retryIf` threw while deciding whether to retry a failed handler. The tries stop,
 * and the call fails with this error: `cause` is the handler's own failure, unchanged (what a
 * withRecovery, withDeadLetter or the bus sees first when it follows the cause), and
 * `retryIfError` is what `retryIf` threw. Its `code` is `RETRY_IF_FAILED`.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, onError: (error) => {
 *   if (error.cause instanceof RetryIfError) log.error({ handler: error.cause.cause, retryIf: error.cause.retryIfError });
 * } });
 * ```
 */
export class RetryIfError extends GossipError {
  /** The event the handler failed on. */
  readonly event: AnyEvent;
  /** The try (from 1) whose failure `retryIf` was deciding on. */
  readonly attempt: number;
  /** What `retryIf` threw. */
  readonly retryIfError: unknown;

  /**
   * @param event - the event the handler failed on
   * @param subscription - the subscription whose handler failed
   * @param attempt - the try whose failure retryIf was deciding on
   * @param cause - the handler's failure
   * @param retryIfError - what retryIf threw
   */
  constructor(
    event: AnyEvent,
    subscription: string,
    attempt: number,
    cause: unknown,
    retryIfError: unknown,
  ) {
    super(
      // Core's GossipError types `code` as core's own codes; this package adds its own.
      MiddlewareErrorCode.RetryIfFailed,
      `withRetry's retryIf threw (${trimmed(textOf(retryIfError))}) on try ${attempt} of handler "${subscription}" for event "${event.type}" (${event.id}), so no retry was made; the handler's own failure is the cause (${trimmed(textOf(cause))}). Make retryIf return a boolean for every error.`,
      { cause },
    );
    this.event = event;
    this.attempt = attempt;
    this.retryIfError = retryIfError;
  }
}

function trimmed(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
