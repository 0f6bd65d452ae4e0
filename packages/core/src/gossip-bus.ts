import { assertFunction, MAX_DELAY } from './assert.js';
import {
  checkPublishOptions,
  checkSubscribeOptions,
  copyMetadata,
  priorityValue,
  publishMetadata,
} from './bus-options.js';
import { createIdSource, now } from './clock.js';
import { compose } from './compose.js';
import { nameOf } from './describe.js';
import { Dispatcher, type Job, type OverflowPolicy } from './dispatcher.js';
import {
  BufferFullError,
  BusClosedError,
  type GossipError,
  HandlerError,
  InvalidOptionError,
  isHandlerErrorOf,
  LoopDetectedError,
  UnmatchedPatternError,
} from './errors.js';
import { type AnyEvent, type Metadata, MetadataKey } from './event.js';
import type { OnceOptions, StreamOptions } from './event-bus.js';
import type {
  Handler,
  HandlerContext,
  Middleware,
  PublishFn,
  PublishOptions,
  SubscribeOptions,
  Unsubscribe,
} from './handler.js';
import { checkIncoming, type IncomingEvent, incomingType } from './incoming-event.js';
import { callSafely, createLifecycle, type Lifecycle } from './lifecycle.js';
import { noop } from './noop.js';
import { waitForNext } from './once.js';
import { compilePattern, isWildcard, patternProblem } from './pattern-matcher.js';
import { checkSyncOptions, type SyncHooks, type SyncOptions, SyncRun } from './publish-sync.js';
import type { SchedulerFactory } from './scheduler.js';
import { isPromiseLike, parsePayload, type SchemaRegistry } from './schema-registry.js';
import { drain, type ShutdownHost } from './shutdown.js';
import type { ShutdownReport } from './shutdown-report.js';
import { addSlotted, removeSlotted } from './slots.js';
import { SoloRun } from './solo-run.js';
import {
  addCounters,
  type BusStats,
  copyCounters,
  type EventCounters,
  emptyByType,
  emptyCounters,
} from './stats.js';
import { type EventStream, openStream } from './stream.js';
import { Router, Subscription, type Tracker, type TypeEntry } from './subscription.js';

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

const EMPTY: Metadata = Object.freeze({});
const RESOLVED: Promise<void> = Promise.resolve();

const dispose: typeof Symbol.dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/** The runtime of every bus; `createEventBus` gives it its types. */
export class GossipBus {
  readonly #settings: BusSettings;
  readonly #router = new Router();
  readonly #dispatcher: Dispatcher;
  readonly #lifecycle = createLifecycle();
  readonly #abort = new AbortController();
  /** The shutdown signal every handler sees, read once (AbortController.signal is a getter). */
  readonly #signal = this.#abort.signal;
  readonly #nextId = createIdSource();
  /** The publishSync runs in progress. */
  readonly #syncRuns: Array<SyncRun | SoloRun> = [];
  /** What must end when shutdown finishes: pending once() calls and open streams. */
  readonly #closers = new Set<() => void>();
  #middleware: Middleware[];
  #sequence = 0;
  #lastEntry: TypeEntry | undefined;
  #closed = false;
  /** Set when shutdown has finished (idle, or the deadline): nothing is accepted any more. */
  #finished = false;
  #shutdown: Promise<ShutdownReport> | undefined;
  #onIdle: (() => void) | undefined;

  constructor(settings: BusSettings) {
    this.#settings = settings;
    this.#middleware = [...settings.middleware];
    this.#dispatcher = new Dispatcher(
      settings.scheduler<Job>(),
      {
        invoke: (sub, event) => sub.effective(event, this.#context(sub, this.#causedBy(event))),
        delivered: (_sub, event) => this.#count(event.type, 'delivered'),
        failed: (sub, event, error) => this.#failed(sub, event, error, true),
        dropped: (event, reason) => {
          this.#count(event.type, 'dropped');
          callSafely(this.#settings.onDrop, event);
          this.#lifecycle.emit('drop', { event, reason });
        },
        idle: () => this.#onIdle?.(),
      },
      settings.workers,
      settings.bufferSize,
      settings.overflow,
    );
  }

  get lifecycle(): Lifecycle {
    return this.#lifecycle;
  }

  get closed(): boolean {
    return this.#closed;
  }

  readonly publish = (type: string, data?: unknown, options?: PublishOptions): Promise<void> =>
    this.#publish(type, data, options, false);

  /**
   * Publishes from outside (`caused` false: refused once shutdown starts) or from a handler
   * (`caused` true: accepted while shutdown drains, so in-flight work can finish its chain).
   */
  #publish(
    type: string,
    data: unknown,
    options: PublishOptions | undefined,
    caused: boolean,
  ): Promise<void> {
    if (this.#refuses(caused)) return Promise.reject(new BusClosedError(nameOf(type)));
    try {
      checkPublishOptions(options);
      return this.#settings.registry === undefined
        ? this.#queue(type, data, options, caused)
        : this.#validated(type, data, (value) => this.#queue(type, value, options, caused));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #refuses(caused: boolean): boolean {
    return caused ? this.#finished : this.#closed;
  }

  /** `ctx.publish`: publishes an event caused by `cause`, refusing chains that look like loops. */
  #publishCaused(
    cause: AnyEvent,
    type: string,
    data: unknown,
    options?: PublishOptions,
  ): Promise<void> {
    let metadata: Metadata;
    try {
      metadata = this.#causedMetadata(type, cause, publishMetadata(options));
    } catch (error) {
      const rejected = Promise.reject(error);
      // A refused loop is already reported through onError and the lifecycle: a handler that
      // does not await ctx.publish must not turn it into an unhandled rejection as well.
      if (error instanceof LoopDetectedError) rejected.catch(noop);
      return rejected;
    }
    return this.#publish(
      type,
      data,
      options === undefined ? { metadata } : { ...options, metadata },
      true,
    );
  }

  /** The validated payload (or a promise of it, for an asynchronous schema); throws if invalid. */
  #validate(type: string, data: unknown): unknown {
    const registry = this.#settings.registry;
    return registry === undefined ? data : parsePayload(registry, type, data);
  }

  /** Hands the validated payload to `next`: at once, or once an asynchronous schema settles. */
  #validated<T>(type: string, data: unknown, next: (value: unknown) => Promise<T>): Promise<T> {
    const checked = this.#validate(type, data);
    return isPromiseLike(checked) ? Promise.resolve(checked).then(next) : next(checked);
  }

  #event(type: string, data: unknown, options: PublishOptions | undefined): AnyEvent {
    const id = options?.id ?? this.#nextId();
    const metadata = options?.metadata === undefined ? EMPTY : copyMetadata(options.metadata);
    return { id, type, timestamp: now(), data, metadata };
  }

  #causedMetadata(type: string, cause: AnyEvent, metadata: Metadata): Metadata {
    const depth = depthOf(cause) + 1;
    if (depth > this.#settings.maxCausationDepth) {
      const error = new LoopDetectedError(type, cause, this.#settings.maxCausationDepth);
      this.#report(error);
      throw error;
    }
    return {
      ...metadata,
      [MetadataKey.CausationId]: cause.id,
      [MetadataKey.CorrelationId]: cause.metadata[MetadataKey.CorrelationId] ?? cause.id,
      [MetadataKey.CausationDepth]: String(depth),
    };
  }

  #queue(
    type: string,
    data: unknown,
    options: PublishOptions | undefined,
    caused: boolean,
  ): Promise<void> {
    if (this.#refuses(caused)) return Promise.reject(new BusClosedError(type));
    const priority = options?.priority === undefined ? 5 : priorityValue(options.priority);
    const event = this.#event(type, data, options);
    const entry = this.#entry(type);
    const targets = this.#select(entry, event, undefined, true);
    if (targets.length > 0 && this.#settings.overflow === 'reject' && !this.#dispatcher.hasRoom) {
      return Promise.reject(new BufferFullError(type, this.#settings.bufferSize));
    }
    this.#accepted(entry, event, true);
    if (targets.length === 0) return RESOLVED;
    const job = this.#job(event, priority, targets, undefined, entry);
    // An event published from a handler never waits for room: the worker it would hold is
    // the one that makes room. It may exceed bufferSize instead.
    return this.#dispatcher.enqueue(job, caused && this.#settings.overflow === 'block');
  }

  #job(
    event: AnyEvent,
    priority: number,
    targets: Subscription[],
    tracker: Tracker | undefined,
    entry: TypeEntry,
  ): Job {
    const sequence = ++this.#sequence;
    return { event, priority, sequence, targets, next: 0, tracker, counters: entry.counters };
  }

  /**
   * The subscriptions that take an event (filters applied). A filter that throws is a failure
   * of its subscription: reported (unless publishSync returns it) and pushed to `failures`.
   */
  #select(
    entry: TypeEntry,
    event: AnyEvent,
    failures: HandlerError[] | undefined,
    report: boolean,
  ): Subscription[] {
    if (!entry.filtered) return entry.targets;
    return entry.targets.filter((sub) => {
      if (sub.filter === undefined) return true;
      try {
        return sub.filter(event);
      } catch (error) {
        const failure = this.#failed(sub, event, error, report);
        failures?.push(failure);
        return false;
      }
    });
  }

  /** The router's entry of a type; the last one is kept, as publishes come in runs of a type. */
  #entry(type: string): TypeEntry {
    if (this.#lastEntry === undefined || type !== this.#lastEntry.type) {
      this.#lastEntry = this.#router.entry(type);
    }
    return this.#lastEntry;
  }

  /** Counts an accepted event, and shows it to the lifecycle's `publish` observers if local. */
  #accepted(entry: TypeEntry, event: AnyEvent, local: boolean): void {
    entry.counters.published++;
    if (local && this.#lifecycle.observed) this.#lifecycle.emit('publish', event);
  }

  readonly publishSync = (
    type: string,
    data?: unknown,
    options?: SyncOptions,
  ): Promise<HandlerError[]> => {
    try {
      return options === undefined && this.#settings.registry === undefined && !this.#closed
        ? this.#runSync(type, data, options)
        : this.#checkedSync(type, data, options);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  /** publishSync with options, a registry or a closed bus: checks first, then runs. */
  #checkedSync(
    type: string,
    data: unknown,
    options: SyncOptions | undefined,
  ): Promise<HandlerError[]> {
    if (this.#closed) throw new BusClosedError(nameOf(type));
    checkPublishOptions(options);
    checkSyncOptions(options);
    return this.#validated(type, data, (value) => {
      // Checked again: an asynchronous schema may settle after shutdown or an abort.
      if (this.#closed) throw new BusClosedError(type);
      options?.signal?.throwIfAborted();
      return this.#runSync(type, value, options);
    });
  }

  #runSync(type: string, data: unknown, options: SyncOptions | undefined): Promise<HandlerError[]> {
    const event = this.#event(type, data, options);
    const entry = this.#entry(type);
    return entry.filtered
      ? this.#runFiltered(entry, event, options)
      : this.#startRun(entry, entry.targets, event, options);
  }

  /** publishSync to subscriptions with filters: a filter that throws is one of the failures. */
  #runFiltered(
    entry: TypeEntry,
    event: AnyEvent,
    options: SyncOptions | undefined,
  ): Promise<HandlerError[]> {
    const failures: HandlerError[] = [];
    const errors = this.#startRun(
      entry,
      this.#select(entry, event, failures, false),
      event,
      options,
    );
    return failures.length === 0 ? errors : errors.then((rest) => failures.concat(rest));
  }

  #startRun(
    entry: TypeEntry,
    targets: Subscription[],
    event: AnyEvent,
    options: SyncOptions | undefined,
  ): Promise<HandlerError[]> {
    this.#accepted(entry, event, true);
    if (targets.length === 1 && options === undefined) {
      const solo = new SoloRun(targets[0] as Subscription, event, entry.counters, this.#syncHooks);
      addSlotted(this.#syncRuns, solo);
      return solo.start();
    }
    const run = new SyncRun(targets, event, entry.counters, this.#syncHooks);
    addSlotted(this.#syncRuns, run);
    return run.start(options);
  }

  readonly #syncHooks: SyncHooks = {
    cause: (event) => this.#causedBy(event),
    invoke: (sub, event, publish, signal) =>
      sub.effective(event, this.#context(sub, publish, signal)),
    shutdownSignal: this.#abort.signal,
    failed: (sub, event, error) => this.#failed(sub, event, error, false),
    done: (run) => {
      removeSlotted(this.#syncRuns, run);
      if (this.#onIdle !== undefined && this.#syncRuns.length === 0 && this.#dispatcher.idle) {
        this.#onIdle();
      }
    },
  };

  /** Validates an event from elsewhere and dispatches it locally; resolves with the failures. */
  readonly receive = (
    message: IncomingEvent,
  ): Promise<{ event: AnyEvent; errors: GossipError[] }> => {
    if (this.#closed) return Promise.reject(new BusClosedError(incomingType(message), 'receive'));
    return (async () => {
      const { type, data: payload, id, timestamp, metadata } = checkIncoming(message);
      const data = await this.#validate(type, payload);
      if (this.#closed) throw new BusClosedError(type, 'receive');
      const event: AnyEvent = {
        id: id ?? this.#nextId(),
        type,
        timestamp: timestamp ?? now(),
        data,
        metadata: Object.freeze({ ...metadata, [MetadataKey.Origin]: 'remote' }),
      };
      const errors: GossipError[] = [];
      const entry = this.#router.entry(type);
      const targets = this.#select(entry, event, errors as HandlerError[], true);
      this.#accepted(entry, event, false);
      if (targets.length === 0) return { event, errors };
      await new Promise<void>((resolve) => {
        const tracker: Tracker = { pending: targets.length, errors, done: resolve };
        this.#dispatcher
          .enqueue(this.#job(event, 5, targets, tracker, entry), false, 'block')
          .catch(noop);
      });
      return { event, errors };
    })();
  };

  readonly subscribe = (
    pattern: string,
    handler: Handler,
    options: SubscribeOptions = {},
  ): Unsubscribe => {
    const problem = typeof pattern === 'string' ? patternProblem(pattern) : 'it is not a string';
    if (problem !== undefined) {
      throw new InvalidOptionError('pattern', `a valid pattern (${problem})`, pattern);
    }
    assertFunction('handler', handler);
    if (this.#closed) throw new BusClosedError(pattern, 'subscribe to');
    checkSubscribeOptions(options);
    const registry = this.#settings.registry;
    if (registry !== undefined) this.#checkMatches(pattern, registry);
    const sub = new Subscription(pattern, handler, options);
    sub.effective = compose(this.#middleware, sub.inner);
    const signal = options.signal;
    const unsubscribe = (() => {
      if (!sub.active) return;
      sub.active = false;
      this.#router.remove(sub);
      signal?.removeEventListener('abort', unsubscribe);
    }) as Unsubscribe;
    unsubscribe[dispose] = unsubscribe;
    if (signal?.aborted) {
      sub.active = false;
      return unsubscribe;
    }
    signal?.addEventListener('abort', unsubscribe, { once: true });
    this.#router.add(sub);
    return unsubscribe;
  };

  readonly once = (pattern: string, options: OnceOptions = {}): Promise<AnyEvent> =>
    waitForNext(this.subscribe, pattern, options, this.#closers);

  readonly stream = (pattern: string, options: StreamOptions = {}): EventStream<AnyEvent> =>
    openStream(this.subscribe, pattern, options, this.#closers);

  #checkMatches(pattern: string, registry: SchemaRegistry<object>): void {
    const matches = isWildcard(pattern)
      ? registry.types().some(compilePattern(pattern))
      : registry.has(pattern);
    if (!matches) throw new UnmatchedPatternError(pattern);
  }

  readonly use = (middleware: Middleware): void => {
    assertFunction('middleware', middleware);
    const next = [...this.#middleware, middleware];
    const subscriptions = this.#router.subscriptions();
    // Wrap everything first, so a middleware that throws while wrapping changes nothing.
    const wrapped = subscriptions.map((sub) => compose(next, sub.inner));
    this.#middleware = next;
    subscriptions.forEach((sub, i) => {
      sub.effective = wrapped[i] as Handler;
    });
  };

  /** The `publish` of the contexts of an event's handlers: it publishes with the event as cause. */
  #causedBy(event: AnyEvent): PublishFn {
    return (type, data, options) => this.#publishCaused(event, type, data, options);
  }

  #context(
    sub: Subscription,
    publish: PublishFn,
    signal: AbortSignal = this.#signal,
  ): HandlerContext {
    return { signal, attempt: 1, subscription: sub.name, publish };
  }

  /** The lifetime counters: the sum of every type's (the only place an event is counted). */
  #lifetime(): EventCounters {
    const total = emptyCounters();
    for (const entry of this.#router.entries()) addCounters(total, entry.counters);
    return total;
  }

  #count(type: string, counter: 'delivered' | 'failed' | 'dropped'): void {
    this.#entry(type).counters[counter]++;
  }

  #failed(sub: Subscription, event: AnyEvent, cause: unknown, report: boolean): HandlerError {
    this.#count(event.type, 'failed');
    const error = isHandlerErrorOf(cause, event) ? cause : new HandlerError(event, sub.name, cause);
    if (report) this.#report(error);
    return error;
  }

  /** Reports a failure through onError and the `error` lifecycle event. */
  readonly report = (error: GossipError): void => {
    this.#report(error);
  };

  #report(error: GossipError): void {
    callSafely(this.#settings.onError, error);
    this.#lifecycle.emit('error', error);
  }

  readonly stats = (): BusStats => {
    const byType: BusStats['byType'] = emptyByType();
    for (const entry of this.#router.entries()) byType[entry.type] = copyCounters(entry.counters);
    return {
      ...this.#lifetime(),
      queued: this.#dispatcher.queued,
      inFlight: this.#syncRuns.reduce((n, run) => n + run.running, this.#dispatcher.inFlight),
      blocked: this.#dispatcher.blocked,
      byType,
    };
  };

  readonly #shutdownHost: ShutdownHost = {
    isIdle: () => this.#dispatcher.idle && this.#syncRuns.length === 0,
    watchIdle: (listener) => {
      this.#onIdle = listener;
    },
    abandon: (reason) => {
      this.#abort.abort(reason);
      const undelivered = this.#dispatcher.abandon(
        new BusClosedError('(shutdown deadline)', 'receive'),
      );
      for (const run of [...this.#syncRuns]) {
        for (const sub of run.unfinished()) {
          undelivered.push({ event: run.event, subscription: sub.name, reason: 'in-flight' });
        }
        run.abandon(reason);
      }
      return undelivered;
    },
    counters: () => this.#lifetime(),
    finished: (report) => {
      this.#finished = true;
      for (const close of [...this.#closers]) close();
      this.#lifecycle.emit('shutdown', report);
    },
  };

  readonly shutdown = (options: { timeout?: number } = {}): Promise<ShutdownReport> => {
    if (this.#shutdown !== undefined) return this.#shutdown;
    const timeout = options.timeout ?? 30_000;
    if (
      typeof timeout !== 'number' ||
      !(timeout >= 0) ||
      (timeout > MAX_DELAY && timeout !== Infinity)
    ) {
      throw new InvalidOptionError(
        'timeout',
        `a number of milliseconds from 0 to ${MAX_DELAY}, or Infinity for no deadline`,
        timeout,
      );
    }
    this.#closed = true;
    this.#shutdown = drain(this.#shutdownHost, timeout);
    this.#onIdle?.(); // the first check, now that a second shutdown() gets the same promise
    return this.#shutdown;
  };
}

/** The depth of an event in its causation chain; 0 for anything that is not a sane count. */
function depthOf(event: AnyEvent): number {
  const depth = Number(event.metadata[MetadataKey.CausationDepth] ?? 0);
  return Number.isSafeInteger(depth) && depth > 0 ? depth : 0;
}
