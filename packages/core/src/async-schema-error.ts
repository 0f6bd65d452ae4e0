import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * A schema validated asynchronously where a synchronous answer was asked for.
 *
 * @example
 * ```ts
 * registry.validateSync('user.created', data); // throws AsyncSchemaError for an async schema
 * ```
 */
export class AsyncSchemaError extends GossipError {
  /** The event type whose schema is asynchronous. */
  readonly eventType: string;

  /** @param eventType - the event type whose schema is asynchronous */
  constructor(eventType: string) {
    super(
      ErrorCode.AsyncSchema,
      `The schema for "${eventType}" validates asynchronously. Use registry.validate(), which returns a promise.`,
    );
    this.eventType = eventType;
  }
}
