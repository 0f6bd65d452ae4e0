import { assertEventType } from './assert.js';
import { assertNonEmpty, readMetadata } from './bus-options.js';
import { readSafely } from './check-options.js';
import { describeValue, nameOf } from './describe.js';
import { InvalidOptionError } from './errors.js';
import type { Metadata } from './event.js';
import { optionName } from './option-name.js';

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

/** An incoming event as `checkIncoming` read it: plain fields, metadata copied (not frozen). */
export interface CheckedIncoming {
  readonly type: string;
  readonly data: unknown;
  readonly id: string | undefined;
  readonly timestamp: number | undefined;
  readonly metadata: Record<string, string>;
}

/**
 * Checks the shape of an incoming event (not its payload: the registry does that) and returns
 * a plain copy of it. Each field of the message is read exactly once, so a getter cannot show
 * the check one value and the bus another; nothing of the message is read afterwards.
 *
 * @internal
 */
export function checkIncoming(message: unknown): CheckedIncoming {
  const name = 'receive(message)';
  if (typeof message !== 'object' || message === null) {
    throw new InvalidOptionError(name, 'an object with a "type"', message);
  }
  // Each field read once, by a function that captures nothing: no closure context per event.
  const [type, data, id, timestamp, metadata]: unknown[] = readSafely(
    name,
    message as IncomingEvent,
    (m) => [m.type, m.data, m.id, m.timestamp, m.metadata],
  );
  assertEventType(optionName('receive', 'type'), type);
  if (id !== undefined) assertNonEmpty(optionName('receive', 'id'), id);
  // Number.isFinite is false for anything but a finite number (it does not convert).
  if (timestamp !== undefined && !Number.isFinite(timestamp)) {
    throw new InvalidOptionError(
      optionName('receive', 'timestamp'),
      'a finite number of milliseconds',
      timestamp,
    );
  }
  return {
    type,
    data,
    id,
    timestamp: timestamp as number | undefined,
    metadata: metadata === undefined ? {} : readMetadata('receive', metadata),
  };
}

/**
 * The type of an incoming message for an error message (a closed bus refusing it), read
 * without throwing whatever the message is.
 *
 * @internal
 */
export function incomingType(message: unknown): string {
  try {
    return nameOf((message as Partial<IncomingEvent> | null | undefined)?.type);
  } catch {
    return describeValue(message);
  }
}
