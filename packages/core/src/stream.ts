import { assertCount, assertSignal } from './bus-options.js';
import { checkOptions } from './check-options.js';
import { nameOf } from './describe.js';
import { asyncDisposeSymbol } from './dispose-symbols.js';
import type { AnyEvent } from './event.js';
import { noop } from './noop.js';
import { onAbort } from './on-abort.js';
import type { Subscribe } from './once.js';
import { Queue } from './queue.js';
import type { StreamOptions } from './stream-options.js';

/**
 * The async iterator `bus.stream()` returns: `for await` over it, `return()` (or `break`) to
 * stop, `await using` to dispose of it (TypeScript 5.2+ with lib `esnext.disposable`, or Node 24).
 *
 * @typeParam TEvent - the events it yields
 *
 * @example
 * ```ts
 * await using stream = bus.stream('order.*', { bufferSize: 10 });
 * for await (const event of stream) logger.info(event.type);
 * ```
 */
export interface EventStream<TEvent extends AnyEvent = AnyEvent>
  extends AsyncIterableIterator<TEvent, undefined>,
    AsyncDisposable {
  /** The next event, waiting for one if none is held; `done` once the stream has ended. */
  next(): Promise<IteratorResult<TEvent, undefined>>;
  /** Ends the stream now: unsubscribes and discards what it holds. */
  return(): Promise<IteratorResult<TEvent, undefined>>;
  /** Stops taking new events; what it holds can still be read. */
  end(): void;
}

/**
 * An async iterator over the events a subscription receives, holding at most `bufferSize` of
 * them. When the consumer is slow and the buffer is full, the stream's handler waits for room
 * with its event outside the buffer, so the bus's own backpressure (its buffer and overflow
 * policy) applies and nothing is dropped; if the delivery's signal aborts meanwhile (the
 * shutdown deadline, a publishSync timeout, a `withTimeout`), the event is withdrawn and the
 * delivery fails with the signal's reason: the consumer never reads an event the bus reported
 * as not delivered. Deliveries to a stream are made one at a time, in publish order, so a slow
 * stream occupies at most one worker.
 */
export class BufferedStream<TEvent extends AnyEvent> implements EventStream<TEvent> {
  readonly #buffer = new Queue<TEvent>();
  readonly #bufferSize: number;
  readonly #close: () => void;
  readonly #pulls = new Queue<(result: IteratorResult<TEvent, undefined>) => void>();
  /** Deliveries waiting for room, in arrival order, with their events (withdrawn ones too). */
  readonly #waiting = new Queue<Waiting<TEvent>>();
  #done = false;
  /** Returned (`return()`, `break`): the consumer discards what it held and what comes. */
  #returned = false;

  constructor(bufferSize: number, close: () => void) {
    this.#bufferSize = bufferSize;
    this.#close = close;
    // Not a method with a computed key: that would run code when core is imported.
    Object.defineProperty(this, asyncDisposeSymbol(), {
      value: async (): Promise<void> => {
        await this.return();
      },
    });
  }

  /**
   * The subscription's handler: hands the event to a waiting consumer, or buffers it, or waits
   * for room until `ctx.signal` aborts.
   */
  readonly push = (
    event: TEvent,
    ctx: { readonly signal: AbortSignal },
  ): Promise<void> | undefined => {
    if (this.#done) {
      if (this.#returned) return undefined;
      // A delivery that was running (in async middleware) when the stream ended: its event
      // cannot be read any more, so the delivery fails and is reported, not counted delivered.
      throw new Error(
        'The stream had ended (end(), clear() or shutdown): this event was not read.',
      );
    }
    const pull = this.#pulls.shift();
    if (pull !== undefined) {
      pull({ value: event, done: false });
      return undefined;
    }
    // With room in the buffer, nothing waits (each read lets the waiting in, in order).
    if (this.#buffer.size < this.#bufferSize) {
      this.#buffer.push(event);
      return undefined;
    }
    const { signal } = ctx;
    return new Promise<void>((resolve, reject) => {
      const waiting: Waiting<TEvent> = { event, resolve, withdrawn: false, forget: noop };
      this.#waiting.push(waiting);
      waiting.forget = onAbort(signal, () => {
        waiting.withdrawn = true;
        reject(signal.reason);
      });
    });
  };

  next(): Promise<IteratorResult<TEvent, undefined>> {
    if (this.#buffer.size > 0) {
      const event = this.#buffer.shift() as TEvent;
      this.#admit(this.#bufferSize);
      return Promise.resolve({ value: event, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#pulls.push(resolve);
    });
  }

  /** Ends the stream: unsubscribes, drops what is buffered, and releases every waiting handler. */
  return(): Promise<IteratorResult<TEvent, undefined>> {
    this.#returned = true;
    this.end();
    this.#buffer.drain();
    return Promise.resolve({ value: undefined, done: true });
  }

  /**
   * Stops taking events; what is buffered can still be read. Waiting deliveries are let in,
   * over `bufferSize`, so that their events can be read too.
   */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#close();
    this.#admit(Number.POSITIVE_INFINITY);
    for (const pull of this.#pulls.drain()) pull({ value: undefined, done: true });
  }

  /** Moves waiting deliveries' events into the buffer, in order, while it holds fewer than `limit`. */
  #admit(limit: number): void {
    while (this.#buffer.size < limit) {
      const waiting = this.#waiting.shift();
      if (waiting === undefined) return;
      if (waiting.withdrawn) continue;
      waiting.forget();
      this.#buffer.push(waiting.event);
      waiting.resolve();
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Returns the stream (`await using`); set in the constructor, under the host's symbol. */
  declare readonly [Symbol.asyncDispose]: () => Promise<void>;
}

/** A delivery waiting for room in a stream. */
interface Waiting<TEvent> {
  readonly event: TEvent;
  readonly resolve: () => void;
  /** Its signal aborted: it failed, and its event is not the stream's. */
  withdrawn: boolean;
  /** Stops listening to its signal. */
  forget: () => void;
}

const oneKey = (): number => 0;

/**
 * Subscribes a stream to a pattern. Its deliveries share one ordering key, so they arrive one
 * at a time, in publish order, and a slow consumer holds at most one worker. The stream ends
 * (keeping what it holds) when the bus shuts down or `bus.clear()` ends its subscription, and is
 * returned (discarding what it holds) when its signal aborts.
 */
export function openStream(
  subscribe: Subscribe,
  pattern: string,
  options: StreamOptions,
  closers: Set<() => void>,
): BufferedStream<AnyEvent> {
  const { signal, bufferSize = 100 } = checkOptions('stream', options, {
    signal: assertSignal,
    bufferSize: assertCount,
  });
  let forget = noop;
  let off = noop;
  let closed = false;
  const onClose = () => stream.end();
  const stream = new BufferedStream<AnyEvent>(bufferSize, () => {
    closed = true;
    off();
    closers.delete(onClose);
    forget();
  });
  // Listed before it subscribes: a `subscribe` listener may shut the bus down meanwhile.
  closers.add(onClose);
  try {
    off = subscribe(
      pattern,
      stream.push,
      { name: `stream(${nameOf(pattern)})`, orderingKey: oneKey },
      onClose,
    );
  } catch (error) {
    closers.delete(onClose);
    throw error;
  }
  // Cleared, or the bus shut down, while it subscribed (from a `subscribe` listener): it is
  // ended already.
  if (closed) return stream;
  if (signal !== undefined) forget = onAbort(signal, () => void stream.return());
  return stream;
}
