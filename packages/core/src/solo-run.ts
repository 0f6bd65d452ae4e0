import { expireClock } from './clock.js';
import type { HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import { noop } from './noop.js';
import type { SyncHooks, SyncRun } from './publish-sync.js';
import { isPromiseLike } from './schema-registry.js';
import type { EventCounters } from './stats.js';
import type { Subscription } from './subscription.js';

/**
 * A `publishSync` with no options to a type with one subscription: the common case, kept apart
 * from {@link SyncRun} as a smaller object with no list of outcomes (1.15x the Promise.all
 * reference where SyncRun with one handler measured 1.25x; docs/benchmarks.md). Its outcome is
 * recorded once, whichever comes first: the handler settling, or the shutdown deadline
 * abandoning it.
 */
export class SoloRun {
  readonly event: AnyEvent;
  readonly promise: Promise<HandlerError[]>;
  /** Its index in the bus's list of runs in progress. */
  slot = 0;
  readonly #sub: Subscription;
  readonly #counters: EventCounters;
  readonly #hooks: SyncHooks;
  /** Resolves the run's promise; noop once it has settled. */
  #resolve: (errors: HandlerError[]) => void = noop;
  /** 1 until the handler has settled. */
  running = 1;

  constructor(sub: Subscription, event: AnyEvent, counters: EventCounters, hooks: SyncHooks) {
    this.event = event;
    this.#sub = sub;
    this.#counters = counters;
    this.#hooks = hooks;
    this.promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Calls the handler; the run settles when it has. */
  start(): Promise<HandlerError[]> {
    const sub = this.#sub;
    if (!sub.active) {
      this.#settle([]);
      return this.promise;
    }
    let result: unknown;
    try {
      result = this.#hooks.invoke(
        sub,
        this.event,
        this.#hooks.cause(this.event),
        this.#hooks.shutdownSignal,
      );
    } catch (error) {
      expireClock();
      this.abandon(error);
      return this.promise;
    }
    expireClock();
    if (isPromiseLike(result)) {
      Promise.resolve(result).then(
        () => this.#succeed(),
        (error: unknown) => this.abandon(error),
      );
    } else {
      this.#succeed();
    }
    return this.promise;
  }

  /** The subscription, while its handler runs. */
  unfinished(): Subscription[] {
    return this.running === 1 ? [this.#sub] : [];
  }

  /** Fails the handler with `reason` unless it has settled. */
  abandon(reason: unknown): void {
    if (this.running === 1) this.#settle([this.#hooks.failed(this.#sub, this.event, reason)]);
  }

  #succeed(): void {
    if (this.running === 0) return;
    this.#counters.delivered++;
    this.#settle([]);
  }

  #settle(errors: HandlerError[]): void {
    this.running = 0;
    this.#hooks.done(this);
    this.#resolve(errors);
  }
}
