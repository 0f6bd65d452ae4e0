import { GossipError } from '@gossip/core';
import type { Envelope } from './envelope.js';

/**
 * The stable codes of the errors this package reports, beside core's `ErrorCode`, and the
 * codes a bridge writes into a {@link DeadLetterReason} it makes itself.
 *
 * @example
 * ```ts
 * bus.lifecycle.on('error', (error) => {
 *   if (error.code === TransportErrorCode.PublishFailed) alert('broker down');
 * });
 * ```
 */
export const TransportErrorCode = {
  /** The broker refused or did not confirm an outgoing event (`transport.publish` rejected). */
  PublishFailed: 'TRANSPORT_PUBLISH_FAILED',
  /**
   * An outgoing event was not sent: `maxOutgoing` events already waited for the broker's ack.
   * It was handled locally only.
   */
  OutgoingFull: 'TRANSPORT_OUTGOING_FULL',
  /** The codec could not encode an outgoing event's payload. */
  EncodeFailed: 'TRANSPORT_ENCODE_FAILED',
  /** The codec could not decode an incoming payload (it is dead-lettered with this code). */
  DecodeFailed: 'TRANSPORT_DECODE_FAILED',
  /** Moving a message to the dead-letter subject or stream failed; the message was nacked. */
  DeadLetterFailed: 'TRANSPORT_DEAD_LETTER_FAILED',
  /** `ack`, `nack` or `term` of a message failed: the broker will redeliver it. */
  SettleFailed: 'TRANSPORT_SETTLE_FAILED',
  /** `transport.subscribe` or a subscription's `close` failed. */
  SubscribeFailed: 'TRANSPORT_SUBSCRIBE_FAILED',
  /** Something the bridge did not expect failed while it handled a message. */
  Unexpected: 'TRANSPORT_UNEXPECTED',
  /** A message the bridge had taken was not settled when its subscription closed. */
  Unsettled: 'TRANSPORT_UNSETTLED',
} as const;

/**
 * One of the values of {@link TransportErrorCode}.
 *
 * @example
 * ```ts
 * const code: TransportErrorCode = 'TRANSPORT_PUBLISH_FAILED';
 * ```
 */
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/**
 * A failure between a bus and its broker, reported by {@link bridge} through `bus.report()`
 * (so `onError` and the `error` lifecycle event see it) instead of thrown: an outgoing event
 * the broker did not store, a message that could not be settled or dead-lettered. It names the
 * transport and the event; `cause` holds what the transport or codec threw.
 *
 * @example
 * ```ts
 * const bus = createEventBus({
 *   schemas,
 *   onError: (error) => {
 *     if (error instanceof TransportError) logger.warn(error.transport, error.eventId, error.code);
 *   },
 * });
 * ```
 */
export class TransportError extends GossipError {
  declare readonly code: TransportErrorCode;
  /** The transport's name, such as `nats`. */
  readonly transport: string;
  /** The id of the event (or message) concerned; undefined for a failure of a subscription. */
  readonly eventId: string | undefined;
  /** The type of the event concerned; undefined for a failure of a subscription. */
  readonly eventType: string | undefined;

  /**
   * @param code - one of {@link TransportErrorCode}
   * @param transport - the transport's name
   * @param envelope - the event (its id and type) concerned, if one is
   * @param message - what happened and what to do
   * @param options - the underlying cause, if any
   */
  constructor(
    code: TransportErrorCode,
    transport: string,
    envelope: Pick<Envelope, 'id' | 'type'> | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(
      code,
      `${message} (${envelope === undefined ? '' : `event "${envelope.type}" ${envelope.id}, `}transport "${transport}")${causeText(options?.cause)}`,
      options,
    );
    this.transport = transport;
    this.eventId = envelope?.id;
    this.eventType = envelope?.type;
  }
}

function causeText(cause: unknown): string {
  if (cause === undefined) return '';
  try {
    return `: ${cause instanceof Error ? cause.message : String(cause)}`;
  } catch {
    return '';
  }
}
