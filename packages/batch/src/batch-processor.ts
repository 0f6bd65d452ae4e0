import {
  type AnyEvent,
  compilePattern,
  Fifo,
  InvalidOptionError,
  TimeoutError,
} from '@gossip/core';
import { type Batch, formBatch, settledReport } from './batch.js';
import { BatchClosedError } from './batch-closed-error.js';
import { BatchError } from './batch-error.js';
import type { BatchHandler } from './batch-handler.js';
import type { BatchInput } from './batch-input.js';
import {
  type BatchOptions,
  type BatchSettings,
  resolveBatchOptions,
  retryDelay,
  shutdownTimeout,
} from './batch-options.js';
import type { BatchReport } from './batch-report.js';
import { reportBatchError } from './report-batch-error.js';
import { sleep } from './sleep.js';
import { Waiters } from './waiters.js';

/**
 * Gathers events into batches and hands each batch to a batch handler, when it holds
 * `batchSize` events or `flushInterval` has passed since its first event, whichever comes first.
 *
 * - Order: the events of a batch are in the order the processor received them (publish order,
 *   with the bus's default scheduler); with `maxConcurrency: 1` (the default) batches never
 *   overlap and run in the order they were formed.
 * - Failure: a batch whose handler throws is tried again (`retry`), then reported to `onError`
 *   as a {@link BatchError} carrying its events. It is never dropped silently.
 * - Backpressure: `asHandler()` returns as soon as an event is in a batch, so a batch can fill
 *   with fewer bus workers than `batchSize`. When the processor holds `maxPending` events, the
 *   handler's promise waits for room: that holds a bus worker, the bus's buffer fills, and the
 *   bus's overflow policy applies.
 * - Shutdown: `shutdown()` refuses new events, flushes what is left and waits for every batch.
 *
 * @typeParam TEvent - the events the processor gathers; {@link createBatchProcessor} infers it
 *   from the bus and the pattern, or annotate the handler's parameter
 *
 * @example
 * ```ts
 * const processor = new BatchProcessor(
 *   'order.created',
 *   { batchSize: 100, flushInterval: 1000, onError: (error) => deadLetter(error.events) },
 *   async (events: Event<'order.created', Order>[]) => {
 *     await db.orders.insertMany(events.map((event) => event.data));
 *   },
 * );
 * bus.subscribe('order.created', processor.asHandler());
 * // at exit: the bus first, so every event reaches the processor
 * await bus.shutdown();
 * await processor.shutdown();
 * ```
 */
export class BatchProcessor<TEvent extends AnyEvent = AnyEvent> {
  /** The pattern of the events the processor takes; it also names it in errors. */
  readonly pattern: string;
  readonly #matches: (type: string) => boolean;
  readonly #handler: BatchHandler<TEvent>;
  readonly #settings: BatchSettings<TEvent>;
  readonly #input: BatchInput<TEvent>;
  readonly #abort = new AbortController();
  #forming: TEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #ready = new Fifo<Batch<TEvent>>();
  readonly #unsettled = new Set<Batch<TEvent>>();
  readonly #waiters = new Waiters<TEvent>();
  #running = 0;
  #pending = 0;
  #closed = false;
  #shutdown: Promise<BatchReport<TEvent>> | undefined;

  /**
   * Creates a processor. It takes events through {@link BatchProcessor.asHandler}.
   *
   * @param pattern - the pattern the processor is subscribed with (an exact name, `order.*`,
   *   `order.**`); events that do not match it are refused
   * @param options - batchSize (default 100), flushInterval (default 1000 ms), maxConcurrency
   *   (default 1), maxPending (default batchSize * (maxConcurrency + 1)), retry (default none),
   *   onError (default: thrown as uncaught)
   * @param handler - called with each batch
   * @throws InvalidOptionError for a bad pattern, option or handler, or a key that is not an
   *   option, naming it
   *
   * @example
   * ```ts
   * const processor = new BatchProcessor('audit.**', { batchSize: 500 }, writeAuditLog);
   * ```
   */
  constructor(pattern: string, options: BatchOptions<TEvent>, handler: BatchHandler<TEvent>) {
    this.#settings = resolveBatchOptions('BatchProcessor', pattern, options, handler);
    this.pattern = pattern;
    this.#matches = compilePattern(pattern);
    this.#handler = handler;
    this.#input = (event, ctx) => this.#accept(event, ctx?.signal);
  }

  /**
   * How many events the processor holds: in the batch being filled, in batches waiting for a
   * slot, and in batches being handled.
   *
   * @example
   * ```ts
   * metrics.gauge('batch.pending', processor.pending);
   * ```
   */
  get pending(): number {
    return this.#pending;
  }

  /**
   * How many handler calls are waiting for room (each holds a bus worker).
   *
   * @example
   * ```ts
   * if (processor.waiting > 0) logger.warn('batches are slower than events arrive');
   * ```
   */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * True once `shutdown()` has been called.
   *
   * @example
   * ```ts
   * if (!processor.closed) await processor.flush();
   * ```
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The handler to subscribe with. It resolves as soon as the event is in a batch, not when the
   * batch is handled: otherwise each waiting event would hold a bus worker, and with fewer
   * workers than `batchSize` no batch could fill. When the processor is full it waits for room
   * (backpressure), and gives up with the reason of `ctx.signal` if that aborts first. After
   * `shutdown()` it throws {@link BatchClosedError}, which the bus reports.
   *
   * @returns the same handler on every call
   *
   * @example
   * ```ts
   * bus.subscribe('order.created', processor.asHandler());
   * ```
   */
  asHandler(): BatchInput<TEvent> {
    return this.#input;
  }

  /**
   * Hands the batch being filled to the handler now, without waiting for its size or interval,
   * and resolves when it and every batch formed before it have settled (retries and `onError`
   * included). With nothing gathered, the handler is not called.
   *
   * @returns a report of the batches waited for; failures are in `failed` (and went to `onError`)
   *
   * @example
   * ```ts
   * const { batches, events, failed } = await processor.flush();
   * ```
   */
  flush(): Promise<BatchReport<TEvent>> {
    this.#seal();
    return settledReport([...this.#unsettled]);
  }

  /**
   * Stops taking events (the handler then throws {@link BatchClosedError}), flushes what is
   * left, including events waiting for room, and resolves when every batch has settled. At the
   * deadline it aborts `ctx.signal` of the batches still running and reports every batch not
   * settled as failed, with a `TimeoutError` as cause. Calling it again returns the same promise.
   *
   * Shut the bus down first (`await bus.shutdown()`), so that every event queued on the bus
   * reaches the processor before it closes.
   *
   * @param options - `timeout`: the deadline in milliseconds (default 30 000; `Infinity` for none)
   * @returns a report of every batch the shutdown waited for; it rejects with InvalidOptionError
   *   (the processor stays open) if `timeout` is not 0 to MAX_DELAY milliseconds or Infinity, or
   *   the options hold another key (a misspelt `timeout`)
   *
   * @example
   * ```ts
   * await bus.shutdown();
   * const report = await processor.shutdown({ timeout: 10_000 });
   * ```
   */
  shutdown(options: { readonly timeout?: number } = {}): Promise<BatchReport<TEvent>> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    let timeout: number;
    try {
      timeout = shutdownTimeout(options);
    } catch (error) {
      // Refused through the promise, as the bus's shutdown refuses: the processor stays open.
      return Promise.reject(error);
    }
    this.#closed = true;
    this.#shutdown = this.#drain(timeout);
    return this.#shutdown;
  }

  #accept(event: TEvent, signal: AbortSignal | undefined): void | Promise<void> {
    if (this.#closed) throw new BatchClosedError(this.pattern, event);
    if (!this.#matches(event.type)) {
      throw new InvalidOptionError(
        'event',
        `an event matching "${this.pattern}" (subscribe the processor with its own pattern)`,
        event.type,
      );
    }
    // Events behind waiters wait too, so they enter batches in the order they arrived.
    if (this.#waiters.size === 0 && this.#pending < this.#settings.maxPending) {
      this.#add(event);
      return;
    }
    return this.#waiters.wait(event, signal);
  }

  #add(event: TEvent): void {
    this.#pending++;
    this.#forming.push(event);
    const { batchSize, flushInterval } = this.#settings;
    if (this.#forming.length >= batchSize) {
      this.#seal();
    } else if (this.#forming.length === 1 && flushInterval !== Number.POSITIVE_INFINITY) {
      this.#timer = setTimeout(() => this.#seal(), flushInterval);
    }
  }

  /** Turns the batch being filled into a batch waiting for a slot. */
  #seal(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#forming.length === 0) return;
    const batch = formBatch(this.#forming);
    this.#forming = [];
    this.#unsettled.add(batch);
    this.#ready.push(batch);
    this.#pump();
  }

  /** Starts waiting batches while slots are free. */
  #pump(): void {
    while (this.#running < this.#settings.maxConcurrency && !this.#abort.signal.aborted) {
      const batch = this.#ready.shift();
      if (batch === undefined) return;
      this.#running++;
      void this.#run(batch);
    }
  }

  async #run(batch: Batch<TEvent>): Promise<void> {
    // Never inside the caller's stack: the bus's dispatch loop or a flush() call.
    await Promise.resolve();
    const { attempts, onError } = this.#settings;
    const signal = this.#abort.signal;
    let failed = false;
    let cause: unknown;
    while (!signal.aborted) {
      batch.attempts++;
      try {
        // A copy per attempt: the handler may change its array, the retry and the error keep theirs.
        await this.#handler(batch.events.slice(), { signal, attempt: batch.attempts });
        failed = false;
        break;
      } catch (thrown) {
        failed = true;
        cause = thrown;
      }
      if (batch.attempts >= attempts || batch.settled) break;
      await sleep(retryDelay(this.#settings, batch.attempts), signal);
    }
    if (batch.settled) return; // abandoned at the shutdown deadline, and reported then
    batch.settled = true;
    // Give the room back before onError runs, so that it may publish (a dead letter) to a bus
    // whose workers are waiting for this processor.
    this.#running--;
    this.#pending -= batch.events.length;
    const error = failed
      ? new BatchError(this.pattern, batch.events, batch.attempts, cause)
      : undefined;
    batch.error = error;
    this.#admit();
    this.#pump();
    if (error !== undefined) await reportBatchError(error, onError);
    this.#unsettled.delete(batch);
    batch.finish(error);
  }

  /** Lets waiting handler calls in, in order, while there is room. */
  #admit(): void {
    while (this.#pending < this.#settings.maxPending) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return;
      this.#add(waiter.event);
      waiter.resolve();
    }
  }

  async #drain(timeout: number): Promise<BatchReport<TEvent>> {
    const covered = new Set<Batch<TEvent>>();
    const work = (async () => {
      for (;;) {
        this.#admit();
        this.#seal();
        if (this.#unsettled.size === 0) return;
        for (const batch of this.#unsettled) covered.add(batch);
        await Promise.all([...this.#unsettled].map((batch) => batch.done));
      }
    })();
    if (timeout === Number.POSITIVE_INFINITY) {
      await work;
    } else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'deadline'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), timeout);
      });
      const outcome = await Promise.race([work, deadline]);
      clearTimeout(timer);
      if (outcome === 'deadline') {
        for (const batch of this.#abandon(new TimeoutError('Batch processor shutdown', timeout))) {
          covered.add(batch);
        }
      }
    }
    return settledReport([...covered]);
  }

  /**
   * At the shutdown deadline: aborts running batches, reports every batch not settled as failed
   * with `cause`, and refuses the handler calls still waiting for room. Returns the batches.
   */
  #abandon(cause: TimeoutError): Batch<TEvent>[] {
    this.#abort.abort(cause);
    this.#seal();
    const left = [...this.#unsettled];
    this.#waiters.refuse((event) => new BatchClosedError(this.pattern, event));
    this.#ready.drain();
    for (const batch of left) {
      this.#unsettled.delete(batch);
      if (batch.settled) {
        // Handled, its onError still running: the deadline does not wait for it.
        batch.finish(batch.error);
        continue;
      }
      batch.settled = true;
      this.#pending -= batch.events.length;
      const error = new BatchError(this.pattern, batch.events, batch.attempts, cause);
      batch.error = error;
      void reportBatchError(error, this.#settings.onError);
      batch.finish(error);
    }
    this.#running = 0;
    return left;
  }
}
