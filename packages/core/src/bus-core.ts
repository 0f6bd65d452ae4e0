import { copyMetadata, NO_METADATA } from './bus-options.js';
import { BusLife } from './bus-state.js';
import { createIdSource, type IdSource, now } from './clock.js';
import { Deliveries } from './deliver.js';
import { Dispatcher } from './dispatcher.js';
import type { GossipError, HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { Middleware, PublishOptions } from './handler.js';
import type { Job } from './job.js';
import { callSafely, createLifecycle } from './lifecycle.js';
import type { OverflowPolicy } from './overflow-policy.js';
import { printFailure } from './print-failure.js';
import type { SyncRun } from './publish-sync.js';
import { Publisher } from './publisher.js';
import { Router, type TypeEntry } from './router.js';
import { fifoScheduler, guardScheduler, type SchedulerFactory } from './scheduler.js';
import type { SchemaRegistry } from './schema-registry.js';
import { emptyCounters } from './stats.js';
import type { Subscription } from './subscription.js';

/** Settings of the untyped bus, already checked and defaulted. */
export interface BusSettings {
  readonly registry: SchemaRegistry<object> | undefined;
  readonly workers: number;
  readonly bufferSize: number;
  readonly overflow: OverflowPolicy;
  readonly scheduler: SchedulerFactory;
  readonly maxCausationDepth: number;
  readonly onError: ((error: GossipError) => void) | undefined;
  readonly onDrop: ((event: AnyEvent) => void) | undefined;
  readonly middleware: readonly Middleware[];
}

/** A filter that threw, and what it threw. */
export interface Thrown {
  readonly sub: Subscription;
  readonly error: unknown;
}

/**
 * What every part of a bus shares: its settings, state, routes, the one delivery path, the
 * dispatcher, the lifecycle hub, and the small services they all use (events, contexts,
 * validation, reporting). The parts (publisher, sync publisher, receiver, subscriber, stats,
 * shutdown) each hold it; none holds another.
 */
export class BusCore {
  readonly settings: BusSettings;
  readonly life = new BusLife();
  readonly router: Router;
  readonly lifecycle = createLifecycle();
  readonly abort = new AbortController();
  /** The shutdown signal every handler sees, read once (AbortController.signal is a getter). */
  readonly signal = this.abort.signal;
  /** The publishSync runs in progress (slotted). */
  readonly syncRuns: SyncRun[] = [];
  /**
   * Publishes (and receives) running user code before their event is queued: filters,
   * `publish` observers, onError for a filter that threw. The bus is not idle meanwhile, so a
   * shutdown started from that code waits for the event instead of finishing without it.
   */
  #publishing = 0;
  /** What must end when shutdown finishes: pending once() calls and open streams. */
  readonly closers = new Set<() => void>();
  readonly deliveries = new Deliveries(emptyCounters());
  readonly dispatcher: Dispatcher;
  readonly publisher: Publisher;
  middleware: Middleware[];
  /** Called whenever the bus may have become idle: shutdown's wait, and `idle()`'s. */
  readonly #idleWatchers = new Set<() => void>();
  /** Event ids: a blocked publish takes its id as parts ({@link IdSource.into}). */
  readonly ids: IdSource = createIdSource();

  constructor(settings: BusSettings) {
    this.settings = settings;
    this.middleware = [...settings.middleware];
    this.router = new Router(settings.registry !== undefined);
    this.publisher = new Publisher(this);
    const scheduler = settings.scheduler<Job>();
    this.dispatcher = new Dispatcher(
      // A scheduler of the user's is guarded: one that throws is reported, not fatal.
      settings.scheduler === fifoScheduler
        ? scheduler
        : guardScheduler(scheduler, (error) => this.report(error)),
      this.deliveries,
      {
        causedBy: (event) => this.publisher.causedBy(event),
        signal: this.signal,
        failed: (error) => this.report(error),
        dropped: (event, counters, reason) => {
          counters.dropped++;
          this.deliveries.totals.dropped++;
          callSafely(this.settings.onDrop, event);
          this.lifecycle.emit('drop', { event, reason });
        },
        idle: () => this.maybeIdle(),
      },
      settings.workers,
      settings.bufferSize,
      settings.overflow,
      this.publisher.jobOfParts,
    );
  }

  /**
   * A new event; publish options were checked by the caller. With a registry it carries its
   * type's latest schema version: without metadata given, the registry's frozen stamp itself,
   * so the common publish copies nothing. `fn` (publish or publishSync) names the metadata in
   * its errors.
   */
  event(type: string, data: unknown, options: PublishOptions | undefined, fn: string): AnyEvent {
    const timestamp = now();
    // The id holds the timestamp: one clock reading for both.
    const id = options?.id ?? this.ids(timestamp);
    const stamp = this.settings.registry?.stampOf(type);
    const given = options?.metadata;
    const metadata = given === undefined ? (stamp ?? NO_METADATA) : copyMetadata(fn, given, stamp);
    return { id, type, timestamp, data, metadata };
  }

  /** An id for an event that came without one. */
  nextId(): string {
    return this.ids(now());
  }

  /**
   * The subscriptions whose filters take an event. A filter that throws does not take it; the
   * subscriptions whose filters threw, and what they threw, go to `thrown` (made at the first),
   * to be counted by {@link filterFailures} once the event is accepted.
   */
  select(entry: TypeEntry, event: AnyEvent, thrown: Thrown[]): Subscription[] {
    return entry.targets.filter((sub) => {
      if (sub.filter === undefined) return true;
      try {
        return sub.filter(event) === true;
      } catch (error) {
        thrown.push({ sub, error });
        return false;
      }
    });
  }

  /** Counts the failures of filters that threw on an accepted event, reporting them if asked. */
  filterFailures(
    entry: TypeEntry,
    event: AnyEvent,
    thrown: readonly Thrown[],
    report: boolean,
  ): HandlerError[] {
    return thrown.map(({ sub, error }) => {
      const failure = this.deliveries.failed(event, sub, entry.counters, error);
      if (report) this.report(failure);
      return failure;
    });
  }

  /** Counts an accepted event. */
  counted(entry: TypeEntry): void {
    entry.counters.published++;
    this.deliveries.totals.published++;
  }

  /** Shows an event published here to the lifecycle's `publish` observers, if any. */
  observe(event: AnyEvent): void {
    if (this.lifecycle.observed) this.lifecycle.emit('publish', event);
  }

  /**
   * Reports a failure through onError and the `error` lifecycle event; with neither, prints it
   * with console.error, so that a failure is never silent.
   */
  report(error: GossipError): void {
    const onError = this.settings.onError;
    if (onError === undefined && this.lifecycle.listenerCount('error') === 0) {
      callSafely(printFailure, error);
      return;
    }
    callSafely(onError, error);
    this.lifecycle.emit('error', error);
  }

  /** True when nothing is queued, blocked or running, publishSync runs included. */
  get isIdle(): boolean {
    return this.#publishing === 0 && this.syncRuns.length === 0 && this.dispatcher.idle;
  }

  /**
   * Runs the part of a publish that calls user code (filters, observers, onError) with the
   * publish counted as under way ({@link #publishing}); then the bus may be idle.
   */
  whilePublishing<T>(work: () => T): T {
    this.#publishing++;
    try {
      return work();
    } finally {
      this.#publishing--;
      this.maybeIdle();
    }
  }

  /**
   * Calls `watcher` whenever the bus may have become idle (it checks), until the returned
   * function is called.
   */
  watchIdle(watcher: () => void): () => void {
    this.#idleWatchers.add(watcher);
    return () => this.#idleWatchers.delete(watcher);
  }

  /** Tells the watchers (a waiting shutdown, `idle()` calls) that the bus may be idle. */
  maybeIdle(): void {
    if (this.#idleWatchers.size > 0 && this.isIdle) {
      for (const watcher of [...this.#idleWatchers]) watcher();
    }
  }

  /** Resolves when the bus is idle, or when shutdown finishes (`release`). */
  idle(): Promise<void> {
    if (this.isIdle || this.life.finished) return Promise.resolve();
    return new Promise((resolve) => {
      const forget = this.watchIdle(() => {
        if (!this.isIdle && !this.life.finished) return;
        forget();
        resolve();
      });
    });
  }

  /** Once shutdown has finished, nothing more will run: every `idle()` waiter resolves. */
  releaseIdle(): void {
    for (const watcher of [...this.#idleWatchers]) watcher();
  }
}
