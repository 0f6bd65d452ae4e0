import { type AnyEvent, GossipError } from '@gossip/core';
import { MiddlewareErrorCode } from './error-code.js';
import { textOf } from './text-of.js';

/**
 * A handler failed and its dead letter could not be sent either. `cause` is the handler's
 * failure; `deliveryError` is why the dead letter was not sent.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, onError: (error) => {
 *   if (error.cause instanceof DeadLetterError) alert(error.cause.deliveryError);
 * } });
 * ```
 */
export class DeadLetterError extends GossipError {
  /** The event the handler failed on. */
  readonly event: AnyEvent;
  /** Why the dead letter could not be sent. */
  readonly deliveryError: unknown;

  /**
   * @param event - the event the handler failed on
   * @param subscription - the subscription whose handler failed
   * @param cause - the handler's failure
   * @param deliveryError - why the dead letter could not be sent
   */
  constructor(event: AnyEvent, subscription: string, cause: unknown, deliveryError: unknown) {
    super(
      // Core's GossipError types `code` as core's own codes; this package adds its own.
      MiddlewareErrorCode.DeadLetterFailed,
      `Could not send the dead letter of event "${event.type}" (${event.id}) after handler "${subscription}" failed (${describe(cause)}): ${describe(deliveryError)}. Register the dead-letter event type and send dead letters before the bus shuts down, or fix the dead-letter handler.`,
      { cause },
    );
    this.event = event;
    this.deliveryError = deliveryError;
  }
}

function describe(error: unknown): string {
  const text = textOf(error);
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
