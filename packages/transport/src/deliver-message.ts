import type { Envelope } from './envelope.js';
import type { TransportMessage } from './transport.js';

/**
 * How a transport settles its broker's messages, for {@link deliverMessage}: one object per
 * subscription, given each message. For one delivery, at most one of `ack`, `nack` and `term`
 * is called, once.
 *
 * @typeParam TMessage - the broker client's message (a `JsMsg`, a stream entry)
 *
 * @example
 * ```ts
 * const settler: Settler<JsMsg> = {
 *   ack: (msg) => msg.ack(),
 *   nack: (msg, delayMs) => msg.nak(delayMs),
 *   term: (msg) => msg.term(),
 *   onError: options.onError,
 * };
 * ```
 */
export interface Settler<TMessage> {
  /** Acknowledges the message on the broker: it is not delivered again. */
  ack(message: TMessage): void | Promise<void>;
  /** Has the broker deliver the message again after `delayMs` (0: as soon as it can). */
  nack(message: TMessage, delayMs: number): void | Promise<void>;
  /** Has the broker give the message up: never delivered again, to this group. */
  term(message: TMessage): void | Promise<void>;
  /**
   * What to do with a message `onMessage` left unsettled (it returned or threw without
   * settling it), given what it threw, if anything.
   * @default nack(message, 0)
   */
  unsettled?(message: TMessage, failure: unknown): void | Promise<void>;
  /** Called with what `onMessage` threw, and with a failure of `unsettled`. */
  onError?(error: unknown): void;
}

const RESOLVED: Promise<void> = /* @__PURE__ */ Promise.resolve();

/** The result of a settle action as a promise, whether it returned one, nothing, or threw. */
function settled(run: () => void | Promise<void>): Promise<void> {
  try {
    return run() ?? RESOLVED;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Which delivery a message is, from 1: the number, or a function that works it out when it is
 * first asked for (a broker client may parse it from the message, a cost the messages whose
 * handlers all succeed never need to pay). A function that throws is reported to the settler's
 * `onError`, and the delivery counts as the first.
 *
 * @example
 * ```ts
 * const attempt: AttemptOf = () => msg.info.deliveryCount; // parsed only if asked for
 * ```
 */
export type AttemptOf = number | (() => number);

/** One delivery as a subscriber sees it: settled at most once, the later calls ignored. */
class OnceMessage<TMessage> implements TransportMessage {
  readonly envelope: Envelope;
  #attempt: AttemptOf;
  readonly #raw: TMessage;
  readonly #settler: Settler<TMessage>;
  #done = false;

  private constructor(
    settler: Settler<TMessage>,
    raw: TMessage,
    envelope: Envelope,
    attempt: AttemptOf,
  ) {
    this.#settler = settler;
    this.#raw = raw;
    this.envelope = envelope;
    this.#attempt = attempt;
  }

  get attempt(): number {
    const attempt = this.#attempt;
    if (typeof attempt === 'number') return attempt;
    let value: number;
    try {
      value = attempt();
    } catch (error) {
      // Reported, and counted as a first delivery: reading the attempt must not throw.
      report(this.#settler, error);
      value = 1;
    }
    this.#attempt = value;
    return value;
  }

  ack(): Promise<void> {
    if (this.#done) return RESOLVED;
    this.#done = true;
    return settled(() => this.#settler.ack(this.#raw));
  }

  nack(delayMs = 0): Promise<void> {
    if (this.#done) return RESOLVED;
    this.#done = true;
    return settled(() => this.#settler.nack(this.#raw, delayMs));
  }

  term(): Promise<void> {
    if (this.#done) return RESOLVED;
    this.#done = true;
    return settled(() => this.#settler.term(this.#raw));
  }

  /**
   * See {@link deliverMessage}. Not an async function: every message of every transport takes
   * this path, and two reactions cost less than an async function's state.
   */
  static deliver<TMessage>(
    onMessage: (message: TransportMessage) => Promise<void>,
    settler: Settler<TMessage>,
    raw: TMessage,
    envelope: Envelope,
    attempt: AttemptOf,
  ): Promise<void> {
    const message = new OnceMessage(settler, raw, envelope, attempt);
    let running: Promise<void>;
    try {
      running = Promise.resolve(onMessage(message));
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then(
      () => message.#unsettled(undefined),
      (error: unknown) => {
        report(settler, error);
        return message.#unsettled(error);
      },
    );
  }

  /** Settles a message `onMessage` left unsettled, given what it threw; never rejects. */
  #unsettled(failure: unknown): Promise<void> | undefined {
    if (this.#done) return undefined;
    this.#done = true;
    const settler = this.#settler;
    return Promise.resolve(
      settled(() =>
        settler.unsettled === undefined
          ? settler.nack(this.#raw, 0)
          : settler.unsettled(this.#raw, failure),
      ),
    ).then(
      () => undefined,
      (error: unknown) => report(settler, error),
    );
  }
}

function report<TMessage>(settler: Settler<TMessage>, error: unknown): void {
  try {
    settler.onError?.(error);
  } catch {
    // A reporter that throws must not leave the message unsettled.
  }
}

/**
 * Hands one message to a subscriber's `onMessage` the way every transport must: the message
 * settles at most once (a second `ack`, `nack` or `term` is ignored), what `onMessage` throws is
 * reported and never escapes, and a message it leaves unsettled is nacked (or whatever
 * `settler.unsettled` does). For transport authors: the broker-specific part is the
 * {@link Settler}.
 *
 * @param onMessage - the subscriber's function, from {@link TransportSubscribeRequest}
 * @param settler - how the broker's messages are settled
 * @param message - the broker's message, handed back to the settler
 * @param envelope - the envelope read from it
 * @param attempt - which delivery this is, from 1, or a function that works it out when the
 *   subscriber first reads `message.attempt` (called at most once)
 * @returns a promise that resolves once the message is settled (it never rejects)
 *
 * @example
 * ```ts
 * await deliverMessage(request.onMessage, settler, msg, envelope, () => msg.info.deliveryCount);
 * ```
 */
export function deliverMessage<TMessage>(
  onMessage: (message: TransportMessage) => Promise<void>,
  settler: Settler<TMessage>,
  message: TMessage,
  envelope: Envelope,
  attempt: AttemptOf,
): Promise<void> {
  return OnceMessage.deliver(onMessage, settler, message, envelope, attempt);
}
