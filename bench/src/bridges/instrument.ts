import type { Envelope, Transport, TransportMessage } from '@gossip/transport';
import { type Latencies, turnNow } from './measure.js';

/**
 * A transport that times what a bridge does through it, for the bench: the k-th envelope
 * published (by `publish`, or within a `publishBatch`, which it keeps if the transport has it)
 * is timed from `started[k]` (when the bench called `bus.publish` for the k-th event: the
 * bridge forwards events in publish order) to the broker's ack; each message handed to the
 * bridge is timed from its hand-over to the bridge's `ack()`. Everything else goes straight
 * through.
 */
export class TimedTransport {
  readonly transport: Transport;
  readonly started: Float64Array;
  published = 0;
  acked = 0;
  #calls = 0;
  #latencies: Latencies | undefined;
  #waiter: { readonly count: number; readonly resolve: () => void } | undefined;
  #ackWaiter: { readonly count: number; readonly resolve: () => void } | undefined;

  constructor(inner: Transport, capacity: number) {
    this.started = new Float64Array(capacity);
    const publishBatch = inner.publishBatch?.bind(inner);
    this.transport = {
      name: inner.name,
      capabilities: inner.capabilities,
      publish: (envelope) => {
        const k = this.#calls++;
        return inner.publish(envelope).then(() => this.#stored(k, 1));
      },
      ...(publishBatch === undefined
        ? {}
        : {
            publishBatch: (envelopes: readonly Envelope[]) => {
              const first = this.#calls;
              this.#calls += envelopes.length;
              return publishBatch(envelopes).then((failures) => {
                this.#stored(first, envelopes.length);
                return failures;
              });
            },
          }),
      subscribe: (request) =>
        inner.subscribe({
          ...request,
          onMessage: (message) => request.onMessage(this.#timed(message)),
        }),
      deadLetter: (envelope, reason) => inner.deadLetter(envelope, reason),
      close: () => inner.close(),
    };
  }

  /** Records the acks of the `count` envelopes published from the `first`-th on. */
  #stored(first: number, count: number): void {
    const at = turnNow();
    for (let k = first; k < first + count; k++) this.#latencies?.add(at - (this.started[k] ?? 0));
    this.published += count;
    if (this.#waiter !== undefined && this.published >= this.#waiter.count) {
      this.#waiter.resolve();
      this.#waiter = undefined;
    }
  }

  /** Resolves once `count` publishes have been acked by the broker. */
  publishedAtLeast(count: number): Promise<void> {
    if (this.published >= count) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiter = { count, resolve };
    });
  }

  /** Where the latencies of the next run go. */
  record(latencies: Latencies): void {
    this.#latencies = latencies;
  }

  #timed(message: TransportMessage): TransportMessage {
    return new TimedMessage(message, this);
  }

  /** Resolves once `count` messages handed to the bridge have been acked. */
  ackedAtLeast(count: number): Promise<void> {
    if (this.acked >= count) return Promise.resolve();
    return new Promise((resolve) => {
      this.#ackWaiter = { count, resolve };
    });
  }

  /** Counts an ack and records its latency. */
  acknowledged(handed: number): void {
    this.#latencies?.add(performance.now() - handed);
    this.acked++;
    if (this.#ackWaiter !== undefined && this.acked >= this.#ackWaiter.count) {
      this.#ackWaiter.resolve();
      this.#ackWaiter = undefined;
    }
  }
}

/** A message whose ack is timed from its hand-over; one object, no closures per message. */
class TimedMessage implements TransportMessage {
  readonly #inner: TransportMessage;
  readonly #timer: TimedTransport;
  readonly #handed = turnNow();

  constructor(inner: TransportMessage, timer: TimedTransport) {
    this.#inner = inner;
    this.#timer = timer;
  }

  get envelope() {
    return this.#inner.envelope;
  }

  get attempt() {
    return this.#inner.attempt;
  }

  ack(): Promise<void> {
    this.#timer.acknowledged(this.#handed);
    return this.#inner.ack();
  }

  nack(delayMs?: number): Promise<void> {
    return this.#inner.nack(delayMs);
  }

  term(): Promise<void> {
    return this.#inner.term();
  }
}
