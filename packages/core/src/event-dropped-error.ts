import { ErrorCode } from './error-code.js';
import type { AnyEvent } from './event.js';
import { GossipError } from './gossip-error.js';

/**
 * An event was dropped by the overflow policy before it reached a handler. `bus.receive()`
 * returns it among its errors, so a bridge asks the broker for redelivery.
 *
 * @example
 * ```ts
 * const { errors } = await bus.receive(message);
 * if (errors.some((e) => e instanceof EventDroppedError)) nak();
 * ```
 */
export class EventDroppedError extends GossipError {
  /** The event that was dropped. */
  readonly event: AnyEvent;
  /** The policy that dropped it. */
  readonly reason: 'drop-oldest' | 'drop-newest';

  /**
   * @param event - the event that was dropped
   * @param reason - the policy that dropped it
   */
  constructor(event: AnyEvent, reason: 'drop-oldest' | 'drop-newest') {
    super(
      ErrorCode.EventDropped,
      `Event "${event.type}" (${event.id}) was dropped by the ${reason} overflow policy because the buffer was full. Raise bufferSize or workers, or choose overflow: 'block'.`,
    );
    this.event = event;
    this.reason = reason;
  }
}
