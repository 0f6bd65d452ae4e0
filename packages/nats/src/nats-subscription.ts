import { compilePattern } from '@gossip/core';
import {
  type DeadLetterReason,
  deliverMessage,
  type Envelope,
  MessageLanes,
  type Settler,
  type TransportSubscribeRequest,
  type TransportSubscription,
} from '@gossip/transport';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { BatchedWrites } from './batched-writes.js';
import { headerPairsOf } from './header-block.js';
import { fromHeaders } from './headers.js';
import type { ResolvedNatsOptions } from './nats-transport-options.js';

/** What a subscription needs from its transport. @internal */
export interface SubscriptionContext {
  readonly consumer: Consumer;
  readonly options: ResolvedNatsOptions;
  readonly deadLetter: (envelope: Envelope, reason: DeadLetterReason) => Promise<void>;
  /** Whether the connection is closed, so that a settle fails at once instead of later. */
  readonly isClosed: () => boolean;
}

/** A message pulled and not yet settled, with its envelope. */
interface Pulled {
  readonly msg: JsMsg;
  readonly envelope: Envelope;
}

const RESTART_DELAY = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one group's pull consumer: pulls `prefetch` messages at a time, hands each to
 * `onMessage` with at most `concurrency` running and one at a time per subject (so a type's
 * events keep their order), treats an unsettled message as nacked, dead-letters a message nacked
 * on its last delivery, and on `close()` naks what it pulled but did not start, then waits for
 * the rest to be settled. Acks, naks and terms are written in batches (see BatchedWrites).
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
  readonly #lanes: MessageLanes<Pulled>;
  readonly #writes: BatchedWrites;
  readonly #settler: Settler<Pulled>;
  /** Wakes the pull loop when a message is done, or at close. */
  #wake: (() => void) | undefined;
  #messages: ConsumerMessages | undefined;
  #closing = false;
  readonly #loop: Promise<void>;
  #closed: Promise<void> | undefined;

  constructor(context: SubscriptionContext, request: TransportSubscribeRequest) {
    this.#context = context;
    this.#request = request;
    const matchers = request.patterns.map(compilePattern);
    this.#matches = (type) => matchers.some((matches) => matches(type));
    this.#lanes = new MessageLanes<Pulled>((pulled) => this.#handle(pulled), {
      concurrency: context.options.concurrency,
      onDone: () => this.#wakeLoop(),
    });
    this.#writes = new BatchedWrites(context.options.onError);
    const { maxDeliver, onError } = context.options;
    this.#settler = {
      ack: ({ msg }) => this.#write(msg, 'ack'),
      nack: (pulled, delayMs) =>
        pulled.msg.info.deliveryCount >= maxDeliver
          ? this.#lastDelivery(pulled)
          : this.#write(pulled.msg, 'nak', delayMs),
      // No reason argument: term(reason) needs NATS server 2.11.
      term: ({ msg }) => this.#write(msg, 'term'),
      onError,
    };
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const { consumer, options } = this.#context;
    while (!this.#closing) {
      try {
        this.#messages = await consumer.consume({ max_messages: options.prefetch });
        if (this.#closing) await this.#messages.close();
        // The iterator, not a callback: the client queues its next pull request behind the
        // messages already in the iterator, so while this loop waits for room no more messages
        // are pulled, and a consumer whose handlers hang holds only what it pulled so far
        // (the group's other consumers get the rest).
        for await (const msg of this.#messages) {
          if (!this.#closing && this.#lanes.size >= options.concurrency) await this.#room();
          this.#take(msg);
        }
      } catch (error) {
        if (!this.#closing) options.onError(error);
      }
      // The consumer stops on its own only when it cannot go on (deleted, or its stream); try
      // again after a pause rather than leaving the group without a reader.
      if (!this.#closing) await sleep(RESTART_DELAY);
    }
  }

  /** Resolves once fewer than `concurrency` messages are queued or running, or at close. */
  #room(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #wakeLoop(): void {
    if (
      this.#wake === undefined ||
      (!this.#closing && this.#lanes.size >= this.#context.options.concurrency)
    )
      return;
    const wake = this.#wake;
    this.#wake = undefined;
    wake();
  }

  /** Queues a pulled message on its subject's lane; never throws (the loop would stop). */
  #take(msg: JsMsg): void {
    try {
      if (this.#closing) {
        this.#writes.add(msg, 'nak');
        return;
      }
      const { options } = this.#context;
      const envelope = fromHeaders(
        msg.subject,
        options.subjectPrefix,
        headerPairsOf(msg),
        msg.data,
        () => `${msg.info.stream}:${msg.seq}`,
      );
      // The consumer's filter covers every pattern of the group and may cover more (see
      // filterSubject): what none of the patterns matches is not this group's, so ack it.
      if (!this.#matches(envelope.type)) {
        this.#writes.add(msg, 'ack');
        return;
      }
      this.#lanes.push(msg.subject, { msg, envelope });
    } catch (error) {
      this.#context.options.onError(error);
    }
  }

  #handle(pulled: Pulled): Promise<void> {
    const { onMessage } = this.#request;
    // The delivery count is parsed from the reply subject (`msg.info`, about 0.4 µs): only when
    // a handler fails is it asked for.
    return deliverMessage(
      onMessage,
      this.#settler,
      pulled,
      pulled.envelope,
      () => pulled.msg.info.deliveryCount,
    );
  }

  /** Queues a settle write; fails at once if the connection is closed (it could not be sent). */
  #write(msg: JsMsg, write: 'ack' | 'nak' | 'term', delayMs = 0): void {
    if (this.#context.isClosed()) throw new Error('the NATS connection is closed');
    this.#writes.add(msg, write, delayMs);
  }

  // The server would drop the message after this delivery without a word (max_deliver): keep
  // it as a dead letter instead. If that fails, nak it, so the server decides (and the loss is
  // reported through onError).
  async #lastDelivery({ msg, envelope }: Pulled): Promise<void> {
    const attempt = msg.info.deliveryCount;
    try {
      await this.#context.deadLetter(envelope, {
        code: 'MAX_DELIVER_EXCEEDED',
        message: `Not settled on delivery ${attempt} of ${this.#context.options.maxDeliver} to group "${this.#request.group}" (the consumer's max_deliver).`,
        attempts: attempt,
      });
      this.#writes.add(msg, 'term');
    } catch (error) {
      this.#context.options.onError(error);
      this.#writes.add(msg, 'nak');
    }
  }

  /**
   * Stops pulling, naks the messages pulled but not started (they go to the group's other
   * consumers, or to this group when it subscribes again), waits until the messages being
   * handled are settled, and writes the settles still queued.
   *
   * @returns a promise that resolves once nothing is in flight
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    this.#wakeLoop();
    try {
      await this.#messages?.close();
    } catch (error) {
      this.#context.options.onError(error);
    }
    await this.#loop;
    for (const { msg } of this.#lanes.clear()) this.#writes.add(msg, 'nak');
    await this.#lanes.drain();
    this.#writes.flush();
  }
}
