import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * The bus's buffer was full and its overflow policy is `reject`.
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, bufferSize: 1, overflow: 'reject' });
 * ```
 */
export class BufferFullError extends GossipError {
  /** The event type that was refused. */
  readonly eventType: string;

  /**
   * @param eventType - the event type that was refused
   * @param bufferSize - the size of the full buffer
   */
  constructor(eventType: string, bufferSize: number) {
    super(
      ErrorCode.BufferFull,
      `Cannot queue event "${eventType}": the buffer holds ${bufferSize} events and is full. Publish more slowly, raise bufferSize or workers, or choose overflow: 'block' to wait for room.`,
    );
    this.eventType = eventType;
  }
}
