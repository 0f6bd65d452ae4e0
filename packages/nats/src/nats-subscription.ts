import { compilePattern } from '@gossip/core';
import type {
  DeadLetterReason,
  Envelope,
  TransportMessage,
  TransportSubscribeRequest,
  TransportSubscription,
} from '@gossip/transport';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { fromHeaders } from './headers.js';
import type { ResolvedNatsOptions } from './nats-transport-options.js';

/** What a subscription needs from its transport. @internal */
export interface SubscriptionContext {
  readonly consumer: Consumer;
  readonly options: ResolvedNatsOptions;
  readonly deadLetter: (envelope: Envelope, reason: DeadLetterReason) => Promise<void>;
}

const RESTART_DELAY = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one group's pull consumer: pulls up to `prefetch` messages ahead, hands each to
 * `onMessage` with at most `concurrency` running and one at a time per subject (so a type's
 * events keep their order), treats an unsettled message as nacked, dead-letters a message nacked
 * on its last delivery, and on `close()` naks what it pulled but did not start, then waits for
 * the rest to be settled.
 *
 * @internal
 * @example
 * ```ts
 * const subscription = new NatsSubscription(context, request);
 * await subscription.close();
 * ```
 */
export class NatsSubscription implements TransportSubscription {
  readonly #context: SubscriptionContext;
  readonly #request: TransportSubscribeRequest;
  readonly #matches: (type: string) => boolean;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #tails = new Map<string, Promise<void>>();
  readonly #slotWaiters: Array<() => void> = [];
  #messages: ConsumerMessages | undefined;
  #closing = false;
  readonly #loop: Promise<void>;
  #closed: Promise<void> | undefined;

  constructor(context: SubscriptionContext, request: TransportSubscribeRequest) {
    this.#context = context;
    this.#request = request;
    const matchers = request.patterns.map(compilePattern);
    this.#matches = (type) => matchers.some((matches) => matches(type));
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const { consumer, options } = this.#context;
    while (!this.#closing) {
      try {
        this.#messages = await consumer.consume({ max_messages: options.prefetch });
        if (this.#closing) await this.#messages.close();
        for await (const msg of this.#messages) {
          if (this.#closing) {
            msg.nak();
            continue;
          }
          await this.#acquireSlot();
          if (this.#closing) {
            this.#releaseSlot();
            msg.nak();
            continue;
          }
          this.#dispatch(msg);
        }
      } catch (error) {
        if (!this.#closing) options.onError(error);
      }
      // The consumer stops on its own only when it cannot go on (deleted, or its stream); try
      // again after a pause rather than leaving the group without a reader.
      if (!this.#closing) await sleep(RESTART_DELAY);
    }
  }

  #acquireSlot(): Promise<void> {
    if (this.#inFlight.size < this.#context.options.concurrency) return Promise.resolve();
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  #releaseSlot(): void {
    this.#slotWaiters.shift()?.();
  }

  #dispatch(msg: JsMsg): void {
    const { options } = this.#context;
    const envelope = fromHeaders(
      msg.subject,
      options.subjectPrefix,
      msg.headers,
      msg.data,
      () => `${msg.info.stream}:${msg.seq}`,
    );
    // The consumer's filter covers every pattern of the group and may cover more (see
    // filterSubject): what none of the patterns matches is not this group's, so ack it.
    if (!this.#matches(envelope.type)) {
      msg.ack();
      this.#releaseSlot();
      return;
    }
    const previous = this.#tails.get(msg.subject);
    const run = (previous ?? Promise.resolve())
      .then(() => this.#handle(msg, envelope))
      .finally(() => {
        this.#inFlight.delete(run);
        if (this.#tails.get(msg.subject) === run) this.#tails.delete(msg.subject);
        this.#releaseSlot();
      });
    this.#tails.set(msg.subject, run);
    this.#inFlight.add(run);
  }

  async #handle(msg: JsMsg, envelope: Envelope): Promise<void> {
    const { options } = this.#context;
    const attempt = msg.info.deliveryCount;
    let settled = false;
    const settle = (action: () => void): Promise<void> => {
      if (settled) return Promise.resolve();
      settled = true;
      try {
        action();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const message: TransportMessage = {
      envelope,
      attempt,
      ack: () => settle(() => msg.ack()),
      nack: (delayMs = 0) => {
        if (settled) return Promise.resolve();
        if (attempt >= options.maxDeliver) {
          settled = true;
          return this.#lastDelivery(msg, envelope, attempt);
        }
        return settle(() => (delayMs > 0 ? msg.nak(delayMs) : msg.nak()));
      },
      // No reason argument: term(reason) needs NATS server 2.11.
      term: () => settle(() => msg.term()),
    };
    try {
      await this.#request.onMessage(message);
    } catch (error) {
      options.onError(error);
    }
    if (!settled) await message.nack();
  }

  // The server would drop the message after this delivery without a word (max_deliver): keep
  // it as a dead letter instead. If that fails, nak it, so the server decides (and the loss is
  // reported through onError).
  async #lastDelivery(msg: JsMsg, envelope: Envelope, attempt: number): Promise<void> {
    try {
      await this.#context.deadLetter(envelope, {
        code: 'MAX_DELIVER_EXCEEDED',
        message: `Not settled on delivery ${attempt} of ${this.#context.options.maxDeliver} to group "${this.#request.group}" (the consumer's max_deliver).`,
        attempts: attempt,
      });
      msg.term();
    } catch (error) {
      this.#context.options.onError(error);
      msg.nak();
    }
  }

  /**
   * Stops pulling, naks the messages pulled but not started (they go to the group's other
   * consumers, or to this group when it subscribes again), and waits until the messages being
   * handled are settled.
   *
   * @returns a promise that resolves once nothing is in flight
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    for (const wake of this.#slotWaiters.splice(0)) wake();
    try {
      await this.#messages?.close();
    } catch (error) {
      this.#context.options.onError(error);
    }
    await this.#loop;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }
}
