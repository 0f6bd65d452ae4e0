import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * A received event could not be lifted to its type's latest schema version, so no handler saw
 * it: its version is unknown, a version after it has no upcaster, or an upcaster threw (its
 * `cause`). `bus.receive()` rejects with it and the bus reports it (`onError`, the `error`
 * lifecycle event).
 *
 * @example
 * ```ts
 * createEventBus({ registry, onError: (error) => {
 *   if (error instanceof UpcastError) alert(error.eventType, error.version);
 * } });
 * ```
 */
export class UpcastError extends GossipError {
  /** The event type. */
  readonly eventType: string;
  /** The version the event said it has, as it said it (`gossip.schemaVersion`). */
  readonly version: string;

  /**
   * @param eventType - the event type
   * @param version - the version the event carried
   * @param reason - why it cannot be lifted, and what to do
   * @param options - what an upcaster threw, if it did
   */
  constructor(eventType: string, version: string, reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.Upcast,
      `Cannot upcast event "${eventType}" from schema version ${JSON.stringify(version)}: ${reason}`,
      options,
    );
    this.eventType = eventType;
    this.version = version;
  }
}
