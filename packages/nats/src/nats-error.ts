import { GossipError } from '@gossip/core';

/**
 * The stable code of every error `@gossip/nats` throws, one per failure. Match on codes, not on
 * messages; the NATS client's own error is kept as `cause`.
 *
 * @example
 * ```ts
 * if (error instanceof NatsTransportError && error.code === NatsErrorCode.Publish) retryLater();
 * ```
 */
export const NatsErrorCode = {
  /** The connection to the NATS server could not be made. */
  Connect: 'NATS_CONNECT_FAILED',
  /** The stream could not be created, read or updated, or it does not fit the options. */
  Stream: 'NATS_STREAM_FAILED',
  /** A group's durable consumer could not be created, or exists with another filter. */
  Consumer: 'NATS_CONSUMER_FAILED',
  /** The server did not store a message (no ack in time, disconnected, refused). */
  Publish: 'NATS_PUBLISH_FAILED',
  /** The transport was closed before the call. */
  Closed: 'NATS_TRANSPORT_CLOSED',
} as const;

/**
 * One of the values of {@link NatsErrorCode}.
 *
 * @example
 * ```ts
 * const code: NatsErrorCode = 'NATS_PUBLISH_FAILED';
 * ```
 */
export type NatsErrorCode = (typeof NatsErrorCode)[keyof typeof NatsErrorCode];

/**
 * What `@gossip/nats` throws: a `GossipError` with a {@link NatsErrorCode}, a message that says
 * what failed and what to do, and the NATS client's error as `cause` (its type is not part of
 * this package's API).
 *
 * @example
 * ```ts
 * try {
 *   await transport.publish(envelope);
 * } catch (error) {
 *   if (error instanceof NatsTransportError) console.error(error.code, error.message);
 * }
 * ```
 */
export class NatsTransportError extends GossipError {
  declare readonly code: NatsErrorCode;

  /**
   * @param code - the stable code of the failure
   * @param message - what happened and what to do about it
   * @param options - the NATS client's error, if any
   */
  constructor(code: NatsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
