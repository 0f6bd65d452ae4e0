import { compilePattern, Fifo, InvalidOptionError } from '@gossip/core';
import { deliverMessage, type Settler } from './deliver-message.js';
import type { Envelope } from './envelope.js';
import type { MemoryDeadLetter } from './memory-transport.js';
import type { Settings } from './memory-transport-options.js';
import type { TransportMessage } from './transport.js';

const noop = (): void => undefined;

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

/** @internal A subscription of a connection, one consumer of its group. */
export interface Consumer {
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

/**
 * @internal The broker in memory that connections share: its groups, the duplicate window
 * and the dead letters.
 */
export class MemoryBroker {
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
