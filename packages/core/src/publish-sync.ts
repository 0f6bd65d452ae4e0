import { type Deliveries, type DeliveryOwner, type Running, toHandlerError } from './deliver.js';
import { type HandlerError, TimeoutError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { HandlerContext, PublishFn, PublishOptions } from './handler.js';
import { noop } from './noop.js';
import { onAbort } from './on-abort.js';
import type { Slotted } from './slots.js';
import type { EventCounters } from './stats.js';
import type { Subscription } from './subscription.js';

/**
 * Options of `publishSync`: those of `publish`, plus cancellation, a deadline and the order
 * in which handlers run.
 *
 * @example
 * ```ts
 * const errors = await bus.publishSync('order.paid', data, { timeout: 2000, sequential: true });
 * ```
 */
export interface PublishSyncOptions extends PublishOptions {
  /** Aborts the run: handlers see it through `ctx.signal`; unfinished ones fail with its reason. */
  readonly signal?: AbortSignal;
  /** A deadline in milliseconds; handlers unfinished by then fail with a TimeoutError. */
  readonly timeout?: number;
  /**
   * Runs the handlers one after another in subscription order instead of all at once.
   * @default false
   */
  readonly sequential?: boolean;
}

/** An alias used inside core. */
export type SyncOptions = PublishSyncOptions;

/** What a run asks of the bus; made once per bus. */
export interface SyncHooks {
  readonly deliveries: Deliveries;
  /** The `publish` of the handlers' contexts: made once per run, shared by its handlers. */
  cause(event: AnyEvent): PublishFn;
  /** The signal handlers see when the call has no signal or timeout of its own. */
  readonly shutdownSignal: AbortSignal;
  /** Called once the run has settled. */
  done(run: SyncRun): void;
}

/**
 * One `publishSync` call: every subscription's handler run now, through the one delivery path
 * (so each outcome is counted once, whatever the handler does later), and the failures
 * resolved in subscription order. It runs outside the worker pool and the ordering keys: the
 * caller is waiting, so its handlers start at once (one after another with `sequential`) and
 * `workers` does not bound them.
 */
export class SyncRun implements DeliveryOwner, Slotted {
  /** A run keeps the deliveries it waits on ({@link kept}): it lives no longer than they do. */
  readonly keepsRunning = true;
  readonly event: AnyEvent;
  /** Its index in the bus's list of runs in progress. */
  slot = 0;
  readonly #targets: readonly Subscription[];
  readonly #hooks: SyncHooks;
  readonly #counters: EventCounters;
  readonly #publish: PublishFn;
  /**
   * The last delivery that waited on its handler, linked to those before it: a chain, not an
   * array, so a run makes no list of its own.
   */
  #kept: Running | undefined;
  /** Failures by subscription index, made at the first one. */
  #errors: Array<HandlerError | undefined> | undefined;
  #pending: number;
  /** The index of the next handler to start. */
  #cursor = 0;
  #signal: AbortSignal;
  /** What a run with options needs (most runs have none, and skip its cost). */
  #guard: Guard | undefined;
  #resolve: (errors: HandlerError[]) => void = noop;

  constructor(
    targets: readonly Subscription[],
    event: AnyEvent,
    counters: EventCounters,
    hooks: SyncHooks,
  ) {
    this.event = event;
    this.#targets = targets;
    this.#counters = counters;
    this.#hooks = hooks;
    this.#publish = hooks.cause(event);
    this.#pending = targets.length;
    this.#signal = hooks.shutdownSignal;
  }

  /** Runs the handlers as the options say; resolves with the failures. */
  start(options: SyncOptions | undefined): Promise<HandlerError[]> {
    const promise = new Promise<HandlerError[]>((resolve) => {
      this.#resolve = resolve;
    });
    if (options !== undefined) this.#guarded(options);
    // A run cut short before it started has settled already.
    if (this.#guard?.stopped) return promise;
    if (this.#pending === 0) this.#finish();
    else this.#advance();
    return promise;
  }

  /** How many handlers have not settled. */
  get running(): number {
    return this.#pending;
  }

  /**
   * The deliveries that waited on their handler, the last first, ended ones too: for the
   * shutdown deadline, and a cut, to end those still waiting.
   */
  get kept(): Running[] {
    const kept: Running[] = [];
    for (let running = this.#kept; running; running = running.previous) kept.push(running);
    return kept;
  }

  /** Starts handlers: all of them, or in sequence up to the first that runs asynchronously. */
  #advance(): void {
    const targets = this.#targets;
    const deliveries = this.#hooks.deliveries;
    const guard = this.#guard;
    while (this.#cursor < targets.length) {
      if (guard?.stopped) return;
      const index = this.#cursor++;
      const sub = targets[index] as Subscription;
      if (!sub.active) {
        this.settled(sub, this.event, index, undefined, false);
        continue;
      }
      const ctx: HandlerContext = {
        signal: this.#signal,
        attempt: 1,
        subscription: sub.name,
        publish: this.#publish,
      };
      const running = deliveries.deliver(this, sub, this.event, ctx, this.#counters, index);
      if (running === undefined) continue;
      running.previous = this.#kept;
      this.#kept = running;
      if (guard?.stopped) {
        // Cut short while this handler ran (it aborted the run's signal itself, or its
        // thenable did), before the cut could see it: it fails for the same reason.
        deliveries.finish(running, true, guard.reason);
        return;
      }
      // A thenable may have settled within its `then`: the sequence goes on then.
      if (guard?.sequential && guard.lastSettled !== index) {
        // Still running: the next handler starts when this one settles.
        guard.awaiting = index;
        return;
      }
    }
  }

  /** A handler settled (or was abandoned at the shutdown deadline): records its failure. */
  settled(
    _sub: Subscription,
    _event: AnyEvent,
    token: unknown,
    error: HandlerError | undefined,
    abandoned: boolean,
  ): void {
    const index = token as number;
    if (error !== undefined) {
      this.#errors ??= new Array<HandlerError | undefined>(this.#targets.length);
      this.#errors[index] = error;
    }
    const guard = this.#guard;
    if (guard !== undefined) guard.lastSettled = index;
    if (--this.#pending === 0) {
      this.#finish();
    } else if (guard !== undefined && guard.awaiting === index && !abandoned) {
      guard.awaiting = -1;
      this.#advance();
    }
  }

  /**
   * At the shutdown deadline: handlers not started yet (in sequence) are not run, each is
   * failed in the run's result but not counted, and returned for the shutdown report. Running
   * ones are abandoned by the delivery path.
   */
  abandon(reason: unknown): Subscription[] {
    if (this.#guard !== undefined) this.#guard.stopped = true;
    const unstarted = this.#targets.slice(this.#cursor);
    while (this.#cursor < this.#targets.length) {
      const index = this.#cursor++;
      const sub = this.#targets[index] as Subscription;
      this.settled(sub, this.event, index, toHandlerError(this.event, sub.name, reason), true);
    }
    this.#guard?.controller?.abort(reason);
    return unstarted.filter((sub) => sub.active);
  }

  /** Cut short by the call's timeout or signal: every handler not settled fails with `reason`. */
  #cut(guard: Guard, reason: unknown): void {
    if (this.#pending === 0) return;
    guard.stopped = true;
    guard.reason = reason;
    const deliveries = this.#hooks.deliveries;
    // Ended ones are skipped by finish.
    for (const running of this.kept) deliveries.finish(running, true, reason);
    while (this.#cursor < this.#targets.length) {
      const index = this.#cursor++;
      const sub = this.#targets[index] as Subscription;
      const error = deliveries.failed(this.event, sub, this.#counters, reason);
      this.settled(sub, this.event, index, error, false);
    }
  }

  #finish(): void {
    this.#guard?.cleanup();
    this.#hooks.done(this);
    const errors = this.#errors;
    this.#resolve(
      errors === undefined
        ? []
        : errors.filter((error): error is HandlerError => error !== undefined),
    );
  }

  /** With a signal, a deadline or in sequence: handlers see one signal combining them. */
  #guarded(options: SyncOptions): void {
    const { signal, timeout, sequential = false } = options;
    const guard: Guard = {
      sequential,
      awaiting: -1,
      lastSettled: -1,
      stopped: false,
      reason: undefined,
      controller: undefined,
      cleanup: noop,
    };
    this.#guard = guard;
    if (signal === undefined && timeout === undefined) return;
    const controller = new AbortController();
    guard.controller = controller;
    this.#signal = controller.signal;
    const abort = (reason: unknown) => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      this.#cut(guard, reason);
    };
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(
            () => abort(new TimeoutError(`publishSync of "${this.event.type}"`, timeout)),
            timeout,
          );
    // The bus's own shutdown signal gets no listener per run: the shutdown deadline abandons
    // each run in progress instead. A caller's signal gets one, however many runs share it.
    const forget = signal === undefined ? noop : onAbort(signal, () => abort(signal.reason));
    guard.cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      forget();
    };
    if (this.#hooks.shutdownSignal.aborted) abort(this.#hooks.shutdownSignal.reason);
  }
}

/** The state of a run with options: sequence, cancellation and its deadline. */
interface Guard {
  readonly sequential: boolean;
  /** In sequence: the index whose handler runs asynchronously, the next waiting for it. */
  awaiting: number;
  /** The index of the handler that settled last. */
  lastSettled: number;
  stopped: boolean;
  /** Why the run was cut short, once it was. */
  reason: unknown;
  controller: AbortController | undefined;
  cleanup: () => void;
}
