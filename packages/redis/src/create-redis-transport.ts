import { hostname } from 'node:os';
import { InvalidOptionError } from '@gossip/core';
import type {
  DeadLetterReason,
  Envelope,
  PublishFailure,
  Transport,
  TransportCapabilities,
  TransportSubscribeRequest,
  TransportSubscription,
} from '@gossip/transport';
import { Redis } from 'ioredis';
import { addDeadLetter, type RedisDeadLetter, readDeadLetters } from './dead-letters.js';
import { quit } from './quit.js';
import { RedisErrorCode } from './redis-error-code.js';
import { RedisSubscription } from './redis-subscription.js';
import { describeCause, RedisTransportError } from './redis-transport-error.js';
import {
  type RedisTransportOptions,
  type ResolvedOptions,
  resolveOptions,
} from './redis-transport-options.js';
import { pairsOf, text } from './replies.js';
import { envelopeFields, StreamLayout } from './stream-layout.js';
import { StreamPublisher } from './stream-publisher.js';
import { trimStream } from './trim-stream.js';

/**
 * The Redis Streams transport: a {@link Transport} with its key layout and dead letters.
 *
 * @example
 * ```ts
 * const transport = await createRedisTransport({ prefix: 'shop' });
 * transport.streamKey('order.placed'); // 'shop:stream:order.placed'
 * ```
 */
export interface RedisTransport extends Transport {
  /** The prefix of every key the transport writes. */
  readonly prefix: string;
  /** The dead-letter stream: `<prefix>:dlq`. */
  readonly deadLetterKey: string;
  /** The key of the stream an event type is written to. */
  streamKey(type: string): string;
  /** Reads the oldest `count` entries of the dead-letter stream (default 100). */
  readDeadLetters(count?: number): Promise<RedisDeadLetter[]>;
  /**
   * Stores a batch of envelopes in pipelines of up to 1,000 XADDs, sent at once; resolves with
   * those Redis did not store (see {@link Transport.publishBatch}).
   */
  publishBatch(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]>;
}

class RedisStreamsTransport implements RedisTransport {
  readonly name = 'redis';
  readonly capabilities: TransportCapabilities;
  readonly #command: Redis;
  readonly #options: ResolvedOptions;
  readonly #layout: StreamLayout;
  readonly #consumer: string;
  readonly #subscriptions = new Set<RedisSubscription>();
  /** Streams written to since the last trim. */
  readonly #written = new Set<string>();
  readonly #publisher: StreamPublisher;
  #trimTimer: ReturnType<typeof setInterval> | undefined;
  #trimming: Promise<void> = Promise.resolve();
  #closed: Promise<void> | undefined;
  #consumers = 0;

  constructor(command: Redis, options: ResolvedOptions, persistent: boolean) {
    this.#command = command;
    this.#options = options;
    this.#layout = new StreamLayout(options.prefix, options.streamPer);
    this.#publisher = new StreamPublisher(command, this.#layout, options, this.#written);
    this.#consumer =
      options.consumerName ??
      `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    this.capabilities = {
      persistent,
      deduplication: options.dedupeWindowMs !== undefined,
      nativeRedelivery: true,
      ordering: true,
    };
    if (options.maxLen !== undefined) {
      this.#trimTimer = setInterval(() => {
        this.#trimming = this.#trimming.then(() => this.#trim());
      }, options.trimIntervalMs);
      this.#trimTimer.unref();
    }
  }

  get prefix(): string {
    return this.#layout.prefix;
  }

  get deadLetterKey(): string {
    return this.#layout.deadLetterKey;
  }

  streamKey(type: string): string {
    return this.#layout.keyOf(this.#layout.nameOf(type));
  }

  publish(envelope: Envelope): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(this.#closedError('publish'));
    return this.#publisher.publish(envelope);
  }

  publishBatch(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]> {
    if (this.#closed !== undefined) return Promise.reject(this.#closedError('publishBatch'));
    return this.#publisher.publishBatch(envelopes);
  }

  async subscribe(request: TransportSubscribeRequest): Promise<TransportSubscription> {
    if (this.#closed !== undefined) throw this.#closedError('subscribe');
    if (typeof request.group !== 'string' || request.group.length === 0) {
      throw new InvalidOptionError('subscribe({ group })', 'a non-empty string', request.group);
    }
    if (!Array.isArray(request.patterns) || request.patterns.length === 0) {
      throw new InvalidOptionError(
        'subscribe({ patterns })',
        'one pattern or more',
        request.patterns,
      );
    }
    const reader = this.#command.duplicate({
      // A blocking read cut by a reconnect fails instead of being sent again, so the read loop
      // learns the connection (and its client id, used by CLIENT UNBLOCK) changed.
      autoResendUnfulfilledCommands: false,
      // ioredis drops (and never settles) a command cut by a reconnect when it is not resent;
      // this client-side timer (BLOCK plus a grace period) makes such a read fail instead.
      blockingTimeout: this.#options.blockMs,
      connectionName: `gossip-reader-${request.group}`,
    });
    reader.on('error', () => {
      // Reported by the read loop when a read fails; ioredis reconnects by itself.
    });
    await reader.connect();
    // Each subscription is its own consumer in the group, so two subscriptions of one process
    // compete as two processes would.
    const subscription = new RedisSubscription(
      {
        command: this.#command,
        reader,
        layout: this.#layout,
        options: this.#options,
        consumer: `${this.#consumer}-${++this.#consumers}`,
        deadLetter: (envelope, reason) => this.deadLetter(envelope, reason),
        deadLetterFields: (fields, reason) => this.#addDeadLetter(fields, reason),
        onClosed: (closed) => this.#subscriptions.delete(closed),
      },
      request,
    );
    this.#subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.close();
      throw new RedisTransportError(
        RedisErrorCode.Background,
        `Redis transport could not subscribe group "${request.group}": ${describeCause(error)}.`,
        { cause: error },
      );
    }
    return subscription;
  }

  deadLetter(envelope: Envelope, reason: DeadLetterReason): Promise<void> {
    return this.#addDeadLetter(envelopeFields(envelope), reason);
  }

  async #addDeadLetter(fields: Array<string | Buffer>, reason: DeadLetterReason): Promise<void> {
    if (this.#closed !== undefined && this.#subscriptions.size === 0) {
      throw this.#closedError('deadLetter');
    }
    await addDeadLetter(this.#command, this.#layout.deadLetterKey, fields, reason);
  }

  readDeadLetters(count = 100): Promise<RedisDeadLetter[]> {
    return readDeadLetters(this.#command, this.#layout.deadLetterKey, count);
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    if (this.#trimTimer !== undefined) clearInterval(this.#trimTimer);
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
    // Publishes still waiting for the end of the turn go now, before the connection closes.
    await this.#publisher.flush();
    await this.#trimming;
    await quit(this.#command);
  }

  async #trim(): Promise<void> {
    const { maxLen } = this.#options;
    if (maxLen === undefined) return;
    const names = [...this.#written];
    this.#written.clear();
    for (const name of names) {
      await trimStream(this.#command, this.#layout.keyOf(name), maxLen).catch((error: unknown) =>
        this.#options.onError(
          new RedisTransportError(
            RedisErrorCode.Background,
            `Redis transport failed trimming ${this.#layout.keyOf(name)}: ${describeCause(error)}. It tries again after the next publish.`,
            { cause: error },
          ),
        ),
      );
    }
  }

  #closedError(what: string): RedisTransportError {
    return new RedisTransportError(
      RedisErrorCode.Closed,
      `Redis transport: ${what} after close(). Create a new transport.`,
    );
  }
}

/**
 * Creates a {@link Transport} on Redis Streams (Redis 6.2 or later) and connects to the server.
 *
 * Each event type is a stream (`<prefix>:stream:<type>`, or one per first segment with
 * `streamPer: 'prefix'`); each `subscribe` is a consumer in a consumer group on the streams its
 * patterns match, reading on a connection of its own with a blocking XREADGROUP. Acks are sent
 * in batches, messages a dead consumer left pending are claimed after `claimIdleMs`, nacked
 * messages are delivered again after their delay with the attempt count of the pending entries
 * list, and `deadLetter` writes `<prefix>:dlq`. See the package README for the stream layout,
 * the trimming bound and the delivery guarantees.
 *
 * @param options - where the server is and how to use it; checked at once
 * @returns the transport, connected
 * @throws InvalidOptionError for a bad option; RedisTransportError if the server cannot be reached
 *
 * @example
 * ```ts
 * const transport = await createRedisTransport({ url: 'redis://127.0.0.1:6379', prefix: 'shop' });
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
export async function createRedisTransport(
  options: RedisTransportOptions = {},
): Promise<RedisTransport> {
  const resolved = resolveOptions(options);
  const { connection } = resolved;
  const common = { lazyConnect: true, protocol: 3, connectionName: 'gossip' } as const;
  const command =
    resolved.url !== undefined
      ? new Redis(resolved.url, common)
      : new Redis({
          ...common,
          host: connection.host ?? '127.0.0.1',
          port: connection.port ?? 6379,
          db: connection.db ?? 0,
          ...(connection.username === undefined ? {} : { username: connection.username }),
          ...(connection.password === undefined ? {} : { password: connection.password }),
          ...(connection.tls === true ? { tls: {} } : {}),
        });
  command.on('error', (error: unknown) =>
    resolved.onError(
      new RedisTransportError(
        RedisErrorCode.Background,
        `Redis connection error: ${describeCause(error)}. ioredis reconnects by itself.`,
        { cause: error },
      ),
    ),
  );
  try {
    await command.connect();
  } catch (error) {
    command.disconnect();
    throw new RedisTransportError(
      RedisErrorCode.Background,
      `Redis transport could not connect: ${describeCause(error)}.`,
      { cause: error },
    );
  }
  const persistent = resolved.persistent ?? (await appendOnly(command));
  return new RedisStreamsTransport(command, resolved, persistent);
}

/** Whether the server writes an append-only file; false when CONFIG is refused. */
async function appendOnly(command: Redis): Promise<boolean> {
  try {
    const reply = await command.config('GET', 'appendonly');
    return text(pairsOf(reply).get('appendonly') ?? 'no') === 'yes';
  } catch {
    return false;
  }
}
