import { EventEmitter } from 'eventemitter3';
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

class LifecycleHub implements LifecycleEmitter {
  // Typed by the Lifecycle interface above; the emitter itself stays untyped inside.
  readonly #emitter = new EventEmitter<string>();
  /** A plain field, read on every publish. */
  observed = false;
  #observers = 0;

  on<TName extends keyof LifecycleEvents>(
    name: TName,
    listener: (...args: LifecycleEvents[TName]) => void,
  ): () => void {
    const safe = (...args: LifecycleEvents[TName]) => {
      try {
        listener(...args);
      } catch (error) {
        rethrowLater(error);
      }
    };
    this.#emitter.on(name, safe as (...args: unknown[]) => void);
    if (name === 'publish') this.observed = ++this.#observers > 0;
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      if (name === 'publish') this.observed = --this.#observers > 0;
      this.#emitter.off(name, safe as (...args: unknown[]) => void);
    };
  }

  listenerCount(name: keyof LifecycleEvents): number {
    return this.#emitter.listenerCount(name);
  }

  emit<TName extends keyof LifecycleEvents>(name: TName, ...args: LifecycleEvents[TName]): void {
    this.#emitter.emit(name, ...args);
  }
}

/** Throws an error from a microtask, where the host reports it as uncaught. */
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
