import type { GossipError } from './errors.js';
import type { AnyEvent } from './event.js';

/**
 * The outcome of `receive`: the event as dispatched, and the failures of its handlers (empty
 * when every handler succeeded, so a bridge acknowledges the message).
 *
 * @example
 * ```ts
 * const { errors } = await bus.receive(message);
 * if (errors.length === 0) ack(); else nak();
 * ```
 */
export interface ReceiveResult {
  /** The event, validated. */
  readonly event: AnyEvent;
  /** HandlerErrors, or a BusClosedError for deliveries abandoned at the shutdown deadline. */
  readonly errors: ReadonlyArray<GossipError>;
}
