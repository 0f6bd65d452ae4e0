import type { JsMsg } from '@nats-io/jetstream';

/** A settle written later: ack, nak (with its delay, 0 for none) or term. */
type Write = 'ack' | 'nak' | 'term';

/**
 * Writes the acks, naks and terms made during one turn of the event loop together, at its end
 * (setImmediate), so that the NATS client sends them in one socket write. The client flushes
 * what it buffered at the next microtask, so acks made one by one as handlers finish would each
 * cost a write (a system call) of their own; queued here, a batch of them costs one.
 *
 * @internal
 * @example
 * ```ts
 * const writes = new BatchedWrites(options.onError);
 * writes.add(msg, 'ack');
 * writes.flush(); // at close: now, not at the end of the turn
 * ```
 */
export class BatchedWrites {
  readonly #onError: (error: unknown) => void;
  #messages: JsMsg[] = [];
  #writes: Write[] = [];
  #delays: number[] = [];
  #scheduled = false;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Queues a settle for the end of this turn. */
  add(msg: JsMsg, write: Write, delayMs = 0): void {
    this.#messages.push(msg);
    this.#writes.push(write);
    this.#delays.push(delayMs);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes every queued settle now; one that throws is reported and the others still go. */
  flush(): void {
    this.#scheduled = false;
    const messages = this.#messages;
    const writes = this.#writes;
    const delays = this.#delays;
    this.#messages = [];
    this.#writes = [];
    this.#delays = [];
    for (let i = 0; i < messages.length; i++) {
      const msg = messages[i] as JsMsg;
      try {
        const write = writes[i];
        if (write === 'ack') msg.ack();
        else if (write === 'term') msg.term();
        else if ((delays[i] ?? 0) > 0) msg.nak(delays[i]);
        else msg.nak();
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
