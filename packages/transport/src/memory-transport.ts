import { compilePattern, Fifo, InvalidOptionError } from '@gossip/core';
import { deliverMessage, type Settler } from './deliver-message.js';
import type { Envelope } from './envelope.js';
import type {
  DeadLetterReason,
  PublishFailure,
  Transport,
  TransportCapabilities,
  TransportMessage,
  TransportSubscribeRequest,
  TransportSubscription,
} from './transport.js';
import { TransportError, TransportErrorCode } from './transport-error.js';

const noop = (): void => undefined;

/**
 * Options of {@link createMemoryTransport}.
 *
 * @example
 * ```ts
 * const transport = createMemoryTransport({ ackWait: 200, maxInFlight: 8 });
 * ```
 */
export interface MemoryTransportOptions {
  /**
   * The transport's name, in errors.
   * @default 'memory'
   */
  readonly name?: string;
  /**
   * How long an envelope id is remembered: a second publish of it within the window is
   * dropped (when `capabilities.deduplication` is on), as a broker's duplicate window does.
   * @default 120_000
   */
  readonly deduplicationWindow?: number;
  /**
   * How long a delivered message may stay unsettled before it is given to another consumer
   * of its group (its consumer is taken for dead), in milliseconds.
   * @default 30_000
   */
  readonly ackWait?: number;
  /**
   * How many messages one consumer is handed at once.
   * @default 32
   */
  readonly maxInFlight?: number;
  /**
   * What the transport claims, to test a bridge against a weaker broker. `deduplication: false`
   * turns the duplicate window off. The defaults: persistent false (nothing survives the
   * process), deduplication, native redelivery and ordering true.
   */
  readonly capabilities?: Partial<TransportCapabilities>;
}

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

interface Settings {
  readonly name: string;
  readonly deduplicationWindow: number;
  readonly ackWait: number;
  readonly maxInFlight: number;
  readonly capabilities: TransportCapabilities;
}

function checkOptions(options: MemoryTransportOptions): Settings {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('createMemoryTransport(options)', 'an object', options);
  const {
    name = 'memory',
    deduplicationWindow = 120_000,
    ackWait = 30_000,
    maxInFlight = 32,
    capabilities = {},
  } = options;
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidOptionError('createMemoryTransport({ name })', 'a non-empty string', name);
  for (const [key, value] of [
    ['deduplicationWindow', deduplicationWindow],
    ['ackWait', ackWait],
  ] as const) {
    if (typeof value !== 'number' || !(value > 0) || value > 2_147_483_647)
      throw new InvalidOptionError(
        `createMemoryTransport({ ${key} })`,
        'a positive delay in ms',
        value,
      );
  }
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new InvalidOptionError(
      'createMemoryTransport({ maxInFlight })',
      'an integer of 1 or more',
      maxInFlight,
    );
  return {
    name,
    deduplicationWindow,
    ackWait,
    maxInFlight,
    capabilities: Object.freeze({
      persistent: false,
      deduplication: true,
      nativeRedelivery: true,
      ordering: true,
      ...capabilities,
    }),
  };
}

/** One message as a group holds it. */
interface Entry {
  readonly envelope: Envelope;
  attempts: number;
  /** Which delivery is current: a settle of an older one (after ackWait) is ignored. */
  delivery: number;
}

/** One delivery of an entry to a consumer. */
interface Delivery {
  readonly consumer: Consumer;
  readonly entry: Entry;
  /** Which delivery of the entry this is: a settle of an older one is ignored. */
  readonly number: number;
  settled: boolean;
  expiry?: ReturnType<typeof setTimeout>;
}

interface Consumer {
  readonly onMessage: (message: TransportMessage) => Promise<void>;
  inFlight: number;
  readonly running: Set<Promise<void>>;
  /** Let a message pass its ackWait: taken for dead, so others are preferred until it settles one. */
  stalled: boolean;
}

class Group {
  readonly name: string;
  readonly patterns: string;
  readonly #matchers: Array<(type: string) => boolean>;
  readonly #ready = new Fifo<Entry>();
  readonly consumers: Consumer[] = [];
  readonly #broker: MemoryBroker;
  #next = 0;
  #scheduled = false;

  constructor(broker: MemoryBroker, name: string, patterns: readonly string[]) {
    this.#broker = broker;
    this.name = name;
    this.patterns = key(patterns);
    this.#matchers = patterns.map(compilePattern);
  }

  matches(type: string): boolean {
    return this.#matchers.some((matches) => matches(type));
  }

  push(entry: Entry): void {
    this.#ready.push(entry);
    this.schedule();
  }

  /** Hands ready messages to consumers with room, from a microtask (never inside a publish). */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#ready.size > 0) {
      const consumer = this.#roomy();
      const entry = consumer && this.#ready.shift();
      if (consumer === undefined || entry === undefined) return;
      this.#deliver(consumer, entry);
    }
  }

  /** The next consumer, round robin, with room for a message; a stalled one only as a last resort. */
  #roomy(): Consumer | undefined {
    const { consumers } = this;
    for (const stalled of [false, true]) {
      for (let i = 0; i < consumers.length; i++) {
        const consumer = consumers[(this.#next + i) % consumers.length];
        if (
          consumer !== undefined &&
          consumer.stalled === stalled &&
          consumer.inFlight < this.#broker.settings.maxInFlight
        ) {
          this.#next = (this.#next + i + 1) % consumers.length;
          return consumer;
        }
      }
    }
    return undefined;
  }

  #deliver(consumer: Consumer, entry: Entry): void {
    entry.attempts += 1;
    const delivery: Delivery = { consumer, entry, number: ++entry.delivery, settled: false };
    delivery.expiry = setTimeout(() => {
      if (delivery.settled) return;
      delivery.settled = true;
      consumer.stalled = true;
      this.push(entry);
    }, this.#broker.settings.ackWait);
    delivery.expiry.unref?.();
    consumer.inFlight += 1;
    const run = deliverMessage(
      consumer.onMessage,
      this.#settler,
      delivery,
      entry.envelope,
      entry.attempts,
    ).finally(() => {
      consumer.inFlight -= 1;
      consumer.running.delete(run);
      this.schedule();
    });
    consumer.running.add(run);
  }

  /** Settles a delivery unless it expired (its ackWait passed) or a later one is current. */
  #settle(delivery: Delivery, then: () => void): void {
    if (delivery.settled || delivery.entry.delivery !== delivery.number) return;
    delivery.settled = true;
    delivery.consumer.stalled = false;
    clearTimeout(delivery.expiry);
    then();
  }

  readonly #settler: Settler<Delivery> = {
    ack: (delivery) => this.#settle(delivery, noop),
    term: (delivery) => this.#settle(delivery, noop),
    nack: (delivery, delayMs) => this.#settle(delivery, () => this.#later(delivery.entry, delayMs)),
  };

  /**
   * Redelivers after the delay, from a timer even for no delay, as a broker's round trip would:
   * a message nacked at once, again and again, never starves the event loop.
   */
  #later(entry: Entry, delayMs: number): void {
    const delay = delayMs > 0 ? Math.min(delayMs, 2_147_483_647) : 0;
    const timer = setTimeout(() => this.push(entry), delay);
    timer.unref?.();
  }
}

function key(patterns: readonly string[]): string {
  return [...new Set(patterns)].sort().join(' ');
}

class MemoryBroker {
  readonly settings: Settings;
  readonly groups = new Map<string, Group>();
  readonly deadLetters: MemoryDeadLetter[] = [];
  /** Envelope ids published within the duplicate window, with when each expires, oldest first. */
  readonly #seen = new Map<string, number>();

  constructor(settings: Settings) {
    this.settings = settings;
  }

  publish(envelope: Envelope): void {
    if (this.settings.capabilities.deduplication) {
      const now = Date.now();
      for (const [id, expires] of this.#seen) {
        if (expires > now) break;
        this.#seen.delete(id);
      }
      if (this.#seen.has(envelope.id)) return;
      this.#seen.set(envelope.id, now + this.settings.deduplicationWindow);
    }
    for (const group of this.groups.values()) {
      if (group.matches(envelope.type)) group.push({ envelope, attempts: 0, delivery: 0 });
    }
  }

  group(name: string, patterns: readonly string[]): Group {
    const existing = this.groups.get(name);
    if (existing === undefined) {
      const group = new Group(this, name, patterns);
      this.groups.set(name, group);
      return group;
    }
    if (existing.patterns !== key(patterns))
      throw new InvalidOptionError(
        `subscribe({ group: "${name}" }).patterns`,
        `the group's patterns (${existing.patterns})`,
        patterns,
      );
    return existing;
  }
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
