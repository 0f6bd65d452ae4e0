import { messageOf } from './describe.js';
import { ErrorCode } from './error-code.js';
import type { AnyEvent } from './event.js';
import { GossipError } from './gossip-error.js';

/**
 * A handler threw, rejected, or was abandoned; carries the event and the subscription.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, onError: (error) => {
 *   if (error instanceof HandlerError) log(error.subscription, error.event.id, error.cause);
 * } });
 * ```
 */
export class HandlerError extends GossipError {
  /** The event the handler failed on. */
  readonly event: AnyEvent;
  /** The subscription's name (its `name` option, or its pattern). */
  readonly subscription: string;

  /**
   * @param event - the event the handler failed on
   * @param subscription - the subscription's name
   * @param cause - what the handler threw (any value)
   */
  constructor(event: AnyEvent, subscription: string, cause: unknown) {
    super(
      ErrorCode.Handler,
      `Handler "${subscription}" failed on event "${event.type}" (${event.id}): ${messageOf(cause)}`,
      { cause },
    );
    this.event = event;
    this.subscription = subscription;
  }
}

/**
 * Tells whether a thrown value is already the HandlerError of this event (a middleware may
 * throw one), without throwing whatever the value is: `instanceof` reads the prototype chain,
 * which a revoked Proxy refuses.
 *
 * @internal
 */
export function isHandlerErrorOf(cause: unknown, event: AnyEvent): cause is HandlerError {
  try {
    return cause instanceof HandlerError && cause.event === event;
  } catch {
    return false;
  }
}
