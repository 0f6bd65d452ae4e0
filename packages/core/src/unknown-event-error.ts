import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * An event type the registry does not know was published or received.
 *
 * @example
 * ```ts
 * await bus.publish('user.craeted' as never, {}); // rejects with UnknownEventError
 * ```
 */
export class UnknownEventError extends GossipError {
  /** The event type that has no schema. */
  readonly eventType: string;

  /** @param eventType - the event type that has no schema */
  constructor(eventType: string) {
    super(
      ErrorCode.UnknownEvent,
      `Unknown event "${eventType}": no schema is registered for it. Check the name, or register a schema for "${eventType}" before publishing it.`,
    );
    this.eventType = eventType;
  }
}
