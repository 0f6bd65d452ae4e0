import { InvalidOptionError } from '@gossip/core';
import type { Envelope } from './envelope.js';
import { type Consumer, MemoryBroker } from './memory-broker.js';
import { checkOptions, type MemoryTransportOptions } from './memory-transport-options.js';
import type {
  DeadLetterReason,
  PublishFailure,
  Transport,
  TransportCapabilities,
  TransportSubscribeRequest,
  TransportSubscription,
} from './transport.js';
import { TransportError, TransportErrorCode } from './transport-error.js';

export type { MemoryTransportOptions } from './memory-transport-options.js';

/**
 * A message the memory transport dead-lettered, with why.
 *
 * @example
 * ```ts
 * const [first] = transport.deadLetters;
 * logger.info(first?.envelope.id, first?.reason.code, first?.reason.attempts);
 * ```
 */
export interface MemoryDeadLetter {
  readonly envelope: Envelope;
  readonly reason: DeadLetterReason;
}

/**
 * The in-process {@link Transport}: what the memory transport adds to the interface.
 *
 * @example
 * ```ts
 * const transport: MemoryTransport = createMemoryTransport();
 * const other = transport.connect(); // a second process on the same broker
 * ```
 */
export interface MemoryTransport extends Transport {
  /** Stores a batch at once, in its order (see {@link Transport.publishBatch}). */
  publishBatch(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]>;
  /** Every dead-lettered message, oldest first. */
  readonly deadLetters: ReadonlyArray<MemoryDeadLetter>;
  /**
   * Another connection to the same in-memory broker, as a second process would open: its own
   * subscriptions and `close()`, the same groups, messages and dead letters.
   */
  connect(): MemoryTransport;
}

/**
 * Creates an in-process transport: a broker in memory with consumer groups (every group gets
 * every message, the consumers of one group compete for them), attempt counting, nack with a
 * delay, term, a dead-letter list (`transport.deadLetters`), a duplicate window keyed by
 * envelope id, and per-type order to each consumer. A group is durable: it is made by its first
 * subscribe, and keeps what it is sent while it has no consumer. Unsettled messages go to
 * another consumer after `ackWait`.
 *
 * It is the reference implementation of the conformance suite, and a stand-in for a broker in
 * an application's tests: bridge two buses to one memory transport (or to two connections of
 * it, `connect()`) and they talk as two services would.
 *
 * @param options - see {@link MemoryTransportOptions}
 * @returns the transport
 *
 * @example
 * ```ts
 * const transport = createMemoryTransport();
 * bridge(orders, transport, { publish: ['order.**'] });
 * const link = bridge(billing, transport, { subscribe: ['order.placed'], group: 'billing' });
 * await link.ready;
 * await orders.publish('order.placed', { orderId: 'o1', amount: 10 });
 * ```
 */
export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  return new MemoryConnection(new MemoryBroker(checkOptions(options)));
}

class MemoryConnection implements MemoryTransport {
  readonly #broker: MemoryBroker;
  readonly #subscriptions = new Set<TransportSubscription>();
  #closed = false;

  constructor(broker: MemoryBroker) {
    this.#broker = broker;
  }

  get name(): string {
    return this.#broker.settings.name;
  }

  get capabilities(): TransportCapabilities {
    return this.#broker.settings.capabilities;
  }

  get deadLetters(): ReadonlyArray<MemoryDeadLetter> {
    return this.#broker.deadLetters;
  }

  connect(): MemoryTransport {
    return new MemoryConnection(this.#broker);
  }

  async publish(envelope: Envelope): Promise<void> {
    this.#open(envelope);
    this.#broker.publish(envelope);
  }

  async publishBatch(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]> {
    this.#open(envelopes[0]);
    for (const envelope of envelopes) this.#broker.publish(envelope);
    return [];
  }

  async deadLetter(envelope: Envelope, reason: DeadLetterReason): Promise<void> {
    this.#open(envelope);
    this.#broker.deadLetters.push({ envelope, reason: { ...reason } });
  }

  async subscribe(request: TransportSubscribeRequest): Promise<TransportSubscription> {
    this.#open(undefined);
    const { group: name, patterns, onMessage } = request;
    if (typeof name !== 'string' || name.length === 0)
      throw new InvalidOptionError('subscribe({ group })', 'a non-empty string', name);
    if (!Array.isArray(patterns) || patterns.length === 0)
      throw new InvalidOptionError('subscribe({ patterns })', 'a non-empty array', patterns);
    if (typeof onMessage !== 'function')
      throw new InvalidOptionError('subscribe({ onMessage })', 'a function', onMessage);
    const group = this.#broker.group(name, patterns);
    const consumer: Consumer = { onMessage, inFlight: 0, running: new Set(), stalled: false };
    group.consumers.push(consumer);
    group.schedule();
    let closing: Promise<void> | undefined;
    const subscription: TransportSubscription = {
      close: () => {
        closing ??= (async () => {
          const index = group.consumers.indexOf(consumer);
          if (index >= 0) group.consumers.splice(index, 1);
          // Draining: the messages being handled settle (or are nacked when left unsettled).
          while (consumer.running.size > 0) await Promise.all(consumer.running);
          this.#subscriptions.delete(subscription);
        })();
        return closing;
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
  }

  #open(envelope: Envelope | undefined): void {
    if (this.#closed)
      throw new TransportError(
        TransportErrorCode.PublishFailed,
        this.name,
        envelope,
        'The memory transport is closed. Create or connect() another',
      );
  }
}
