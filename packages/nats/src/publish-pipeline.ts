import { JetStreamApiError } from '@nats-io/jetstream';
import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

/** The server's answer to a JetStream publish. @internal */
export interface PublishAck {
  readonly stream: string;
  readonly seq: number;
  /** The server already had a message with this `Nats-Msg-Id` in its duplicate window. */
  readonly duplicate: boolean;
}

interface Waiting {
  readonly token: number;
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly headers: MsgHdrs;
  readonly deadline: number;
  readonly resolve: (ack: PublishAck) => void;
  readonly reject: (error: Error) => void;
}

const decoder = new TextDecoder();

/**
 * JetStream publishes with their acks, pipelined: each message is published with a reply
 * subject under one inbox this pipeline subscribes to, and the ack that comes back there
 * resolves it. What `js.publish` does, without its costs per message that do not buy anything
 * here: a request object with a timer of its own, an Error made (with its stack) to cancel the
 * request once answered, and a promise per layer. One timer covers every waiting publish (they
 * all have the same timeout, so the oldest is the first to expire).
 *
 * Same guarantees: a publish resolves only when the server has stored the message (or reports
 * a duplicate it had stored), rejects with the server's error, on "no responders" (no stream
 * stores the subject), when the connection is closed, and after `timeout` milliseconds without
 * an answer (the message may still be stored then, as with `js.publish`).
 *
 * @internal
 * @example
 * ```ts
 * const pipeline = new PublishPipeline(nc, 5000);
 * const ack = await pipeline.publish('gossip.order.placed', payload, headers);
 * await pipeline.close();
 * ```
 */
export class PublishPipeline {
  readonly #nc: NatsConnection;
  readonly #timeout: number;
  readonly #inbox: string;
  readonly #subscription: Subscription;
  /**
   * The waiting publishes by token, in the order they were sent: the order their deadlines come
   * in, so the first is the next to expire.
   */
  readonly #waiting = new Map<number, Waiting>();
  /** Publishes made during this turn of the event loop, sent together at its end. */
  #unsent: Waiting[] = [];
  #next = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(nc: NatsConnection, timeout: number) {
    this.#nc = nc;
    this.#timeout = timeout;
    // The connection's inbox prefix, where the application set one (for its permissions).
    const prefix = (nc as { options?: { inboxPrefix?: unknown } }).options?.inboxPrefix;
    this.#inbox = `${createInbox(typeof prefix === 'string' ? prefix : undefined)}.`;
    this.#subscription = nc.subscribe(`${this.#inbox}*`, {
      callback: (error, msg) => this.#answer(error, msg),
    });
  }

  /** How many publishes wait for their ack. */
  get size(): number {
    return this.#waiting.size;
  }

  /**
   * Publishes a message and resolves with the server's ack once it has stored it.
   *
   * @param subject - the subject, stored by a stream
   * @param payload - the message data
   * @param headers - its headers (with `Nats-Msg-Id` for de-duplication), fresh per message
   */
  publish(subject: string, payload: Uint8Array, headers: MsgHdrs): Promise<PublishAck> {
    return new Promise((resolve, reject) => {
      const token = ++this.#next;
      const deadline = performance.now() + this.#timeout;
      const waiting = { token, subject, payload, headers, deadline, resolve, reject };
      this.#waiting.set(token, waiting);
      this.#timer ??= setTimeout(() => this.#expire(), this.#timeout);
      // Sent at the end of this turn, with the others made in it: the client writes what it has
      // buffered at the next microtask, so publishes made one by one (a bridge forwards each
      // event as it is published) would otherwise cost a socket write each.
      this.#unsent.push(waiting);
      if (this.#unsent.length === 1) setImmediate(() => this.#send());
    });
  }

  /** Hands the publishes of this turn to the client, which writes them together. */
  #send(): void {
    const unsent = this.#unsent;
    this.#unsent = [];
    for (const waiting of unsent) {
      if (!this.#waiting.has(waiting.token)) continue; // timed out or failed meanwhile
      try {
        this.#nc.publish(waiting.subject, waiting.payload, {
          reply: `${this.#inbox}${waiting.token}`,
          headers: waiting.headers,
        });
      } catch (error) {
        this.#settle(waiting);
        waiting.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /**
   * Waits (at most `timeout`) for the publishes still waiting, then stops listening for acks;
   * those still unanswered reject.
   */
  async close(): Promise<void> {
    this.#send();
    const deadline = performance.now() + this.#timeout;
    while (this.#waiting.size > 0 && performance.now() < deadline && !this.#nc.isClosed()) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.#fail(() => new Error('the NATS transport closed before the server answered'));
    this.#subscription.unsubscribe();
  }

  #answer(error: Error | null, msg: Msg): void {
    if (error !== null) {
      // The inbox subscription itself failed (a permissions violation): nothing can be answered.
      this.#fail(() => error);
      return;
    }
    const token = Number(msg.subject.slice(this.#inbox.length));
    const waiting = this.#waiting.get(token);
    if (waiting === undefined) return; // answered after its timeout
    this.#settle(waiting);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      waiting.reject(new Error(`no stream stores subject "${waiting.subject}" (no responders)`));
      return;
    }
    let reply: { stream?: string; seq?: number; duplicate?: boolean; error?: unknown };
    try {
      reply = JSON.parse(decoder.decode(msg.data)) as typeof reply;
    } catch (cause) {
      waiting.reject(
        new Error('the server answered the publish with something other than JSON', { cause }),
      );
      return;
    }
    if (reply.error !== undefined) {
      waiting.reject(
        new JetStreamApiError(reply.error as ConstructorParameters<typeof JetStreamApiError>[0]),
      );
    } else if (typeof reply.stream !== 'string' || reply.stream === '') {
      waiting.reject(new Error('invalid ack response'));
    } else {
      waiting.resolve({
        stream: reply.stream,
        seq: Number(reply.seq),
        duplicate: reply.duplicate === true,
      });
    }
  }

  #settle(waiting: Waiting): void {
    this.#waiting.delete(waiting.token);
    if (this.#waiting.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const waiting of this.#waiting.values()) {
      if (waiting.deadline > now) {
        this.#timer = setTimeout(() => this.#expire(), Math.max(1, waiting.deadline - now));
        return;
      }
      this.#waiting.delete(waiting.token);
      waiting.reject(new Error(`no ack from the server within ${this.#timeout} ms`));
    }
  }

  #fail(errorOf: () => Error): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const { reject } of waiting) reject(errorOf());
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
