import type { GossipError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { ShutdownReport } from './shutdown-report.js';

/**
 * Why an event was dropped: the overflow policy that dropped it.
 *
 * @example
 * ```ts
 * bus.lifecycle.on('drop', ({ event, reason }) => metrics.increment(`dropped.${reason}`));
 * ```
 */
export type DropReason = 'drop-oldest' | 'drop-newest';

/**
 * A subscription made or ended, as the `subscribe` and `unsubscribe` lifecycle events tell it:
 * `count` is how many subscriptions of exactly that pattern there are after the change, so a
 * source can start on the first (`count === 1` at `subscribe`) and stop after the last
 * (`count === 0` at `unsubscribe`).
 *
 * @example
 * ```ts
 * bus.lifecycle.on('subscribe', ({ pattern, count }) => {
 *   if (pattern === 'price.ticked' && count === 1) feed.start();
 * });
 * bus.lifecycle.on('unsubscribe', ({ pattern, count }) => {
 *   if (pattern === 'price.ticked' && count === 0) feed.stop();
 * });
 * ```
 */
export interface SubscriptionChange {
  /** The subscription's pattern. */
  readonly pattern: string;
  /** The subscription's name: its `name` option, or its pattern. */
  readonly name: string;
  /** How many subscriptions of exactly this pattern there are after the change. */
  readonly count: number;
}

/**
 * The bus's own events, observed through `bus.lifecycle`.
 *
 * @example
 * ```ts
 * bus.lifecycle.on('error', (error) => logger.error(error.message));
 * ```
 */
export interface LifecycleEvents {
  /** A handler failed, a caused event was refused as a loop, or `bus.report()` was called. */
  error: [error: GossipError];
  /** The overflow policy dropped an event. */
  drop: [drop: { readonly event: AnyEvent; readonly reason: DropReason }];
  /** An event was published locally and accepted (events received from a transport are not). */
  publish: [event: AnyEvent];
  /** Shutdown finished; the report says what was and was not delivered. */
  shutdown: [report: ShutdownReport];
  /** A subscription was made (by `subscribe`, `once` or `stream`). */
  subscribe: [change: SubscriptionChange];
  /** A subscription ended (unsubscribed, its signal aborted, `clear()`, `once` settled). */
  unsubscribe: [change: SubscriptionChange];
}

/**
 * Listens to the bus's own events: errors, drops, local publications (the seam a broker
 * bridge uses to forward events), shutdown.
 *
 * @example
 * ```ts
 * const off = bus.lifecycle.on('drop', ({ event }) => logger.warn('dropped', event.id));
 * off();
 * ```
 */
export interface Lifecycle {
  /**
   * Adds a listener.
   * @param name - the lifecycle event
   * @param listener - called with its arguments
   * @returns a function that removes the listener
   */
  on<TName extends keyof LifecycleEvents>(
    name: TName,
    listener: (...args: LifecycleEvents[TName]) => void,
  ): () => void;
  /**
   * Tells how many listeners a lifecycle event has.
   * @param name - the lifecycle event
   * @returns the number of listeners
   */
  listenerCount(name: keyof LifecycleEvents): number;
}

/** The bus's side of the lifecycle: emit, with listener failures reported instead of thrown. */
export interface LifecycleEmitter extends Lifecycle {
  /** True while something listens to `publish` (read on every publish, so kept as a flag). */
  readonly observed: boolean;
  emit<TName extends keyof LifecycleEvents>(name: TName, ...args: LifecycleEvents[TName]): void;
}

/**
 * Creates the lifecycle emitter. A listener that throws never breaks dispatch: its error is
 * thrown again from a microtask, where the host reports it as uncaught (as a browser's
 * `reportError` does), so it is neither lost nor able to stop the bus.
 */
export function createLifecycle(): LifecycleEmitter {
  return new LifecycleHub();
}

type Listener = (...args: unknown[]) => void;

/**
 * Six events with a few listeners each: a set per name is all it takes. (eventemitter3, the
 * emitter the project started with, weighed about 1 KB of core's gzipped bundle for this; the
 * benchmarks still measure against it.) Emitting walks a copy, so a listener may add or remove
 * listeners, itself included, while it runs.
 */
class LifecycleHub implements LifecycleEmitter {
  readonly #listeners = new Map<keyof LifecycleEvents, Set<Listener>>();
  /** A plain field, read on every publish. */
  observed = false;

  on<TName extends keyof LifecycleEvents>(
    name: TName,
    listener: (...args: LifecycleEvents[TName]) => void,
  ): () => void {
    // A wrapper per call, so the same function added twice is called twice and removed once.
    const safe: Listener = (...args) => {
      try {
        listener(...(args as unknown as LifecycleEvents[TName]));
      } catch (error) {
        rethrowLater(error);
      }
    };
    const set = this.#listeners.get(name) ?? new Set<Listener>();
    this.#listeners.set(name, set);
    set.add(safe);
    this.#observe();
    return () => {
      if (set.delete(safe)) this.#observe();
    };
  }

  #observe(): void {
    this.observed = this.listenerCount('publish') > 0;
  }

  listenerCount(name: keyof LifecycleEvents): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  emit<TName extends keyof LifecycleEvents>(name: TName, ...args: LifecycleEvents[TName]): void {
    const set = this.#listeners.get(name);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set]) listener(...args);
  }
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Calls a user callback (onError, onDrop) so that its failure can neither stop the bus nor
 * vanish: a throw is re-thrown from a microtask.
 */
export function callSafely<T>(callback: ((value: T) => void) | undefined, value: T): void {
  if (callback === undefined) return;
  try {
    callback(value);
  } catch (error) {
    rethrowLater(error);
  }
}
