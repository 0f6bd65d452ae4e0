import { Fifo } from '@gossip/core';
import type {
  DeadLetterReason,
  Envelope,
  Transport,
  TransportCapabilities,
  TransportSubscribeRequest,
  TransportSubscription,
} from '@gossip/transport';
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { messageOf } from './client-errors.js';
import { type NatsDeadLetter, readDeadLetters } from './dead-letters.js';
import { ensureConsumer } from './ensure-consumer.js';
import { ensureStream } from './ensure-stream.js';
import { deadLetterHeaders, toHeaders } from './headers.js';
import { NatsErrorCode, NatsTransportError } from './nats-error.js';
import { NatsSubscription } from './nats-subscription.js';
import {
  type NatsTransportOptions,
  type ResolvedNatsOptions,
  resolveOptions,
} from './nats-transport-options.js';
import { PublishPipeline } from './publish-pipeline.js';
import { checkGroup, filterSubject } from './subjects.js';

/**
 * A {@link Transport} over NATS JetStream, with the names it uses on the server.
 *
 * @example
 * ```ts
 * const transport = await createNatsTransport({ servers: '127.0.0.1:4222' });
 * logger.info(transport.stream, transport.subjects.deadLetters); // 'GOSSIP' 'gossip-dlq.>'
 * ```
 */
export interface NatsTransport extends Transport {
  /** The stream that stores the events and their dead letters. */
  readonly stream: string;
  /** The subjects under which events and dead letters are stored. */
  readonly subjects: {
    /** Every event: `<prefix>.>`. */
    readonly events: string;
    /** Every dead letter: `<prefix>-dlq.>`. */
    readonly deadLetters: string;
  };
  /**
   * Reads the oldest `count` dead letters (default 100), with the reason each was given up.
   * It reads them without removing them: the stream's limits age them out.
   */
  readDeadLetters(count?: number): Promise<NatsDeadLetter[]>;
}

const capabilities: TransportCapabilities = Object.freeze({
  persistent: true,
  deduplication: true,
  nativeRedelivery: true,
  ordering: true,
});

// How many publishes wait for their ack at once; the others queue here. A bridge forwards every
// event as it is published, and thousands of requests in flight slow the client down (one timer
// and one pending entry each) more than a queue does (bench/src/nats-bridge-main.ts measures it).
const MAX_PUBLISHING = 256;

/**
 * Connects a gossip bridge to NATS JetStream. Checks the options, connects (or takes the
 * application's `connection`), and creates the stream, or checks an existing one and adds the
 * event and dead-letter subjects it lacks, before it resolves.
 *
 * - An event of type `order.placed` is stored under `<prefix>.order.placed`, with
 *   `Nats-Msg-Id` set to the event id, so that the server drops a republished event within the
 *   duplicate window; the type, schema version, timestamp, content type (`Content-Type`) and each
 *   metadata entry (`Gossip-Meta-<key>`) travel as headers.
 * - Each group is a durable pull consumer with explicit acks, `max_deliver` and `ack_wait`; a
 *   nack with a delay is a NAK with that delay, `term()` a TERM. gossip's `*` maps to NATS `*`
 *   and a trailing `**` to `>`. A group with several patterns gets one filter subject covering
 *   them all (server 2.9 has no `filter_subjects`) and acks what matches none.
 * - Dead letters go to `<prefix>-dlq.<type>` in the same stream, with the reason as headers.
 *
 * @param options - servers or connection, stream and prefix, consumer settings
 * @returns the transport, once the stream is in place
 * @throws NatsTransportError with code `NATS_CONNECT_FAILED` or `NATS_STREAM_FAILED`, or
 * InvalidOptionError for a bad option or a key that is not an option (a misspelt one)
 *
 * @example
 * ```ts
 * import { createNatsTransport } from '@gossip/nats';
 *
 * const transport = await createNatsTransport({ servers: '127.0.0.1:4222', stream: 'SHOP' });
 * const subscription = await transport.subscribe({
 *   group: 'billing',
 *   patterns: ['order.*'],
 *   onMessage: async (message) => {
 *     logger.info(message.envelope.type, message.attempt);
 *     await message.ack();
 *   },
 * });
 * await subscription.close();
 * await transport.close();
 * ```
 */
export async function createNatsTransport(
  options: NatsTransportOptions = {},
): Promise<NatsTransport> {
  const resolved = resolveOptions(options);
  const owned = options.connection === undefined;
  let nc: NatsConnection;
  try {
    nc =
      options.connection ??
      (await connect({
        servers: resolved.servers,
        noAsyncTraces: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        name: `gossip-${resolved.stream}`,
      }));
  } catch (error) {
    throw new NatsTransportError(
      NatsErrorCode.Connect,
      `Could not connect to NATS at ${String(resolved.servers)}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: resolved.publishTimeout });
    await ensureStream(jsm, resolved);
    const js = jetstream(nc, { timeout: resolved.publishTimeout });
    const pipeline = new PublishPipeline(nc, resolved.publishTimeout);
    return new NatsTransportImpl(nc, owned, jsm, js, pipeline, resolved);
  } catch (error) {
    if (owned) await nc.close().catch(() => {});
    if (error instanceof NatsTransportError) throw error;
    throw new NatsTransportError(
      NatsErrorCode.Stream,
      `Could not set up stream "${resolved.stream}": ${messageOf(error)} (is JetStream enabled on the server?)`,
      { cause: error },
    );
  }
}

class NatsTransportImpl implements NatsTransport {
  readonly name = 'nats';
  readonly capabilities = capabilities;
  readonly stream: string;
  readonly subjects: NatsTransport['subjects'];
  readonly #nc: NatsConnection;
  readonly #owned: boolean;
  readonly #jsm: JetStreamManager;
  readonly #js: JetStreamClient;
  readonly #pipeline: PublishPipeline;
  readonly #options: ResolvedNatsOptions;
  readonly #subscriptions = new Set<NatsSubscription>();
  readonly #publishWaiters = new Fifo<() => void>();
  #publishing = 0;
  #closed: Promise<void> | undefined;

  constructor(
    nc: NatsConnection,
    owned: boolean,
    jsm: JetStreamManager,
    js: JetStreamClient,
    pipeline: PublishPipeline,
    options: ResolvedNatsOptions,
  ) {
    this.#nc = nc;
    this.#owned = owned;
    this.#jsm = jsm;
    this.#js = js;
    this.#pipeline = pipeline;
    this.#options = options;
    this.stream = options.stream;
    this.subjects = Object.freeze({
      events: `${options.subjectPrefix}.>`,
      deadLetters: `${options.subjectPrefix}-dlq.>`,
    });
  }

  #assertOpen(what: () => string): void {
    if (this.#closed !== undefined) {
      throw new NatsTransportError(
        NatsErrorCode.Closed,
        `Cannot ${what()}: the NATS transport is closed.`,
      );
    }
  }

  async publish(envelope: Envelope): Promise<void> {
    this.#assertOpen(() => `publish event ${envelope.id}`);
    const subject = `${this.#options.subjectPrefix}.${envelope.type}`;
    if (this.#publishing >= MAX_PUBLISHING) {
      await new Promise<void>((resolve) => this.#publishWaiters.push(resolve));
    }
    this.#publishing += 1;
    let duplicate: boolean;
    try {
      const ack = await this.#pipeline.publish(subject, envelope.payload, toHeaders(envelope));
      duplicate = ack.duplicate;
    } catch (error) {
      throw new NatsTransportError(
        NatsErrorCode.Publish,
        `NATS did not store event ${envelope.id} (${envelope.type}) on "${subject}": ${messageOf(error)}`,
        { cause: error },
      );
    } finally {
      this.#publishing -= 1;
      this.#publishWaiters.shift()?.();
    }
    if (duplicate) this.#options.onDuplicate(envelope);
  }

  async deadLetter(envelope: Envelope, reason: DeadLetterReason): Promise<void> {
    this.#assertOpen(() => `dead-letter event ${envelope.id}`);
    const subject = `${this.#options.subjectPrefix}-dlq.${envelope.type}`;
    try {
      // No Nats-Msg-Id: the event id is already in the stream's duplicate window (the event
      // itself, and maybe a dead letter of another group), and the server would drop this one.
      await this.#pipeline.publish(subject, envelope.payload, deadLetterHeaders(envelope, reason));
    } catch (error) {
      throw new NatsTransportError(
        NatsErrorCode.Publish,
        `NATS did not store the dead letter of event ${envelope.id} (${envelope.type}) on "${subject}": ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  async readDeadLetters(count = 100): Promise<NatsDeadLetter[]> {
    this.#assertOpen(() => 'read the dead letters');
    return readDeadLetters(this.#jsm, this.#js, this.#options, count);
  }

  async subscribe(request: TransportSubscribeRequest): Promise<TransportSubscription> {
    this.#assertOpen(() => `subscribe group "${String(request.group)}"`);
    const group = checkGroup(request.group);
    const filter = filterSubject(this.#options.subjectPrefix, request.patterns);
    const consumer = await ensureConsumer(this.#jsm, this.#js, this.#options, group, filter);
    this.#assertOpen(() => `subscribe group "${group}"`);
    const subscription = new NatsSubscription(
      {
        consumer,
        options: this.#options,
        deadLetter: (envelope, reason) => this.deadLetter(envelope, reason),
        isClosed: () => this.#nc.isClosed(),
      },
      request,
    );
    this.#subscriptions.add(subscription);
    const close = subscription.close.bind(subscription);
    return {
      close: async () => {
        await close();
        this.#subscriptions.delete(subscription);
      },
    };
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
    this.#subscriptions.clear();
    // Publishes already sent get their acks (or time out) before the connection goes.
    await this.#pipeline.close();
    // Acks, naks and terms are written without waiting for a reply; flush them before the
    // connection closes (bounded: a disconnected client would wait for the server).
    if (!this.#nc.isClosed()) {
      await Promise.race([
        this.#nc.flush().catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, this.#options.publishTimeout).unref()),
      ]);
    }
    if (this.#owned) await this.#nc.close();
  }
}
