import { copyMetadata } from './bus-options.js';
import { InvalidOptionError } from './errors.js';
import type { Metadata } from './event.js';

/**
 * An event arriving from elsewhere (a broker, another process), untrusted until validated:
 * what a transport bridge hands to `bus.receive()`.
 *
 * @example
 * ```ts
 * const message: IncomingEvent = { id: msg.id, type: msg.subject, data: JSON.parse(msg.body) };
 * await bus.receive(message);
 * ```
 */
export interface IncomingEvent {
  /** The event type; it must be registered when the bus has schemas. */
  readonly type: string;
  /** The payload, validated against the type's schema before dispatch. */
  readonly data?: unknown;
  /** The id given by the sender; a new one is made when absent. */
  readonly id?: string;
  /** When it was published, in milliseconds since the epoch; now when absent. */
  readonly timestamp?: number;
  /** String metadata (headers). */
  readonly metadata?: Metadata;
}

/** Checks the shape of an incoming event (not its payload: the registry does that). */
export function checkIncoming(message: unknown, hasRegistry: unknown): IncomingEvent {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidOptionError('message', 'an object with a "type"', message);
  }
  const incoming = message as IncomingEvent;
  if (hasRegistry === undefined && typeof incoming.type !== 'string') {
    throw new InvalidOptionError('message.type', 'a string', incoming.type);
  }
  const { id, timestamp } = incoming;
  if (id !== undefined && (typeof id !== 'string' || id.length === 0)) {
    throw new InvalidOptionError('message.id', 'a non-empty string', id);
  }
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
    throw new InvalidOptionError('message.timestamp', 'a finite number of milliseconds', timestamp);
  }
  if (incoming.metadata !== undefined) copyMetadata(incoming.metadata);
  return incoming;
}
