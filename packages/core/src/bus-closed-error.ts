import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * The bus is shut down (or shutting down) and accepts no more events.
 *
 * @example
 * ```ts
 * await bus.shutdown();
 * await bus.publish('user.created', data); // rejects with BusClosedError
 * ```
 */
export class BusClosedError extends GossipError {
  /** The event type that was refused. */
  readonly eventType: string;

  /**
   * @param eventType - the event type (or pattern) that was refused
   * @param action - what was refused
   */
  constructor(eventType: string, action: 'publish' | 'subscribe to' | 'receive' = 'publish') {
    super(
      ErrorCode.BusClosed,
      `Cannot ${action} "${eventType}": the bus is shut down. Do it before calling shutdown(), or create a new bus.`,
    );
    this.eventType = eventType;
  }
}
