import type { Envelope } from './envelope.js';

/**
 * What a broker can and cannot do, so that a bridge (and the conformance suite) knows which
 * guarantees hold.
 *
 * @example
 * ```ts
 * if (!transport.capabilities.deduplication) bus.use(withDedupe());
 * ```
 */
export interface TransportCapabilities {
  /** Messages survive a broker restart once `publish` has resolved. */
  readonly persistent: boolean;
  /** A second publish of the same envelope id is dropped by the broker (within its window). */
  readonly deduplication: boolean;
  /** The broker redelivers a nacked or unacknowledged message by itself, counting attempts. */
  readonly nativeRedelivery: boolean;
  /** Messages of one type reach one consumer of a group in publish order while none fails. */
  readonly ordering: boolean;
}

/**
 * One message handed to a subscriber. Settle it once: `ack` when it was handled, `nack` to
 * have it delivered again (after `delayMs`), `term` to never deliver it again (it was
 * dead-lettered, or cannot be handled).
 *
 * @example
 * ```ts
 * onMessage: async (message) => {
 *   try { await handle(message.envelope); await message.ack(); }
 *   catch { await message.nack(1000); }
 * }
 * ```
 */
export interface TransportMessage {
  readonly envelope: Envelope;
  /** Which delivery of this message this is, from 1. */
  readonly attempt: number;
  /** Acknowledges the message: it is not delivered again. */
  ack(): Promise<void>;
  /** Asks for the message again, after `delayMs` (0: as soon as the broker can). */
  nack(delayMs?: number): Promise<void>;
  /** Gives the message up: it is not delivered again, to this group or to any consumer of it. */
  term(): Promise<void>;
}

/**
 * What a subscriber asks of a transport: a consumer group (every group gets every message;
 * the consumers of one group share them), gossip patterns (`order.*`, `order.**`), and the
 * function each message goes to.
 *
 * @example
 * ```ts
 * await transport.subscribe({ group: 'billing', patterns: ['order.**'], onMessage });
 * ```
 */
export interface TransportSubscribeRequest {
  /** The consumer group, durable across restarts where the broker allows. */
  readonly group: string;
  /** gossip patterns: exact names, `*` for one segment, `**` for one or more. */
  readonly patterns: readonly string[];
  /**
   * Called with each message. The transport awaits it, bounds how many run at once, and
   * treats a message left unsettled when it returns or throws as nacked.
   */
  readonly onMessage: (message: TransportMessage) => Promise<void>;
}

/**
 * A running subscription. `close()` stops taking messages, waits for those being handled to be
 * settled, and releases the consumer.
 *
 * @example
 * ```ts
 * const subscription = await transport.subscribe(request);
 * await subscription.close();
 * ```
 */
export interface TransportSubscription {
  /** Stops taking messages, waits for those being handled to be settled, releases the consumer. */
  close(): Promise<void>;
}

/**
 * A message broker as gossip sees it. A transport package (`@gossip/nats`, `@gossip/redis`, or
 * a third party's) implements it; `bridge` connects it to a bus. The conformance suite in
 * this package's tests is what every transport runs against its real server.
 *
 * @example
 * ```ts
 * const transport: Transport = await createNatsTransport({ servers: '127.0.0.1:4222' });
 * const stop = bridge(bus, transport, { publish: ['order.**'], subscribe: ['user.*'], group: 'billing' });
 * ```
 */
export interface Transport {
  /** A name for errors and logs, such as `nats` or `redis`. */
  readonly name: string;
  readonly capabilities: TransportCapabilities;
  /** Stores an envelope; resolves once the broker has it (a publish ack), rejects if not. */
  publish(envelope: Envelope): Promise<void>;
  /**
   * Optional: stores several envelopes in their order, as `publish` stores each. Resolves once
   * the broker has answered for every one, with those it did not store (an empty array when it
   * stored them all); rejects only when it could take none (the transport is closed). A bridge
   * hands a transport that has it the events of one turn of the event loop at once: one
   * promise per batch instead of one per event.
   */
  publishBatch?(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]>;
  /** Starts consuming; resolves once the consumer is in place. */
  subscribe(request: TransportSubscribeRequest): Promise<TransportSubscription>;
  /**
   * Moves a message that will not be handled to the dead-letter subject or stream, with the
   * reason and how many attempts were made; resolves once stored.
   */
  deadLetter(envelope: Envelope, reason: DeadLetterReason): Promise<void>;
  /** Closes every subscription (as `close()` does) and the connection. */
  close(): Promise<void>;
}

/**
 * An envelope of a batch that the broker did not store: its index in the batch and why.
 *
 * @example
 * ```ts
 * const failures = await transport.publishBatch?.(envelopes);
 * for (const { index, error } of failures ?? []) retryLater(envelopes[index], error);
 * ```
 */
export interface PublishFailure {
  /** The envelope's index in the batch handed to `publishBatch`. */
  readonly index: number;
  /** Why it was not stored, as `publish` would have rejected. */
  readonly error: unknown;
}

/**
 * Why a message was dead-lettered: the error's code and message (a HandlerError's, or the
 * ValidationError of a payload that does not fit its schema), and the attempts made.
 *
 * @example
 * ```ts
 * await transport.deadLetter(envelope, { code: 'VALIDATION_FAILED', message, attempts: 1 });
 * ```
 */
export interface DeadLetterReason {
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
}
