import { assertDelay } from './assert.js';
import { expireClock } from './clock.js';
import { type HandlerError, InvalidOptionError, TimeoutError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { PublishFn, PublishOptions } from './handler.js';
import { noop } from './noop.js';
import { isPromiseLike } from './schema-registry.js';
import type { SoloRun } from './solo-run.js';
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
   * Runs the handlers one after another in subscription order (as the Go seed did) instead of
   * all at once.
   * @default false
   */
  readonly sequential?: boolean;
}

/** An alias used inside core. */
export type SyncOptions = PublishSyncOptions;

/** Throws InvalidOptionError for a publishSync option of the wrong kind. */
export function checkSyncOptions(options: SyncOptions | undefined): void {
  if (options === undefined) return;
  const { signal, timeout, sequential } = options;
  if (timeout !== undefined) assertDelay('timeout', timeout);
  if (sequential !== undefined && typeof sequential !== 'boolean') {
    throw new InvalidOptionError('sequential', 'a boolean', sequential);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', 'an AbortSignal', signal);
  }
}

/** What a run asks of the bus; made once per bus. */
export interface SyncHooks {
  /** The `publish` of the handlers' contexts: made once per run, shared by its handlers. */
  cause(event: AnyEvent): PublishFn;
  invoke(sub: Subscription, event: AnyEvent, publish: PublishFn, signal: AbortSignal): unknown;
  readonly shutdownSignal: AbortSignal;
  failed(sub: Subscription, event: AnyEvent, error: unknown): HandlerError;
  /** Called once the run has settled. */
  done(run: SyncRun | SoloRun): void;
}

/** A handler's outcome: undefined while it runs, then null (delivered) or its failure. */
type Outcome = HandlerError | null | undefined;

/**
 * One `publishSync` call: every subscription's handler run now, each outcome recorded once
 * (a handler that settles after the run was cut short is neither counted again nor lost), and
 * the failures resolved in subscription order. Without options it costs one promise reaction
 * per asynchronous handler, about what `await Promise.all(handlers.map((h) => h(event)))`
 * costs; a call without options to a single subscription runs as a SoloRun instead.
 */
export class SyncRun {
  readonly event: AnyEvent;
  readonly promise: Promise<HandlerError[]>;
  /** Its index in the bus's list of runs in progress. */
  slot = 0;
  readonly #targets: readonly Subscription[];
  readonly #hooks: SyncHooks;
  /** The counters of the event's type. */
  readonly #counters: EventCounters;
  /** The `publish` of the handlers' contexts. */
  readonly #publish: PublishFn;
  /** Each handler's outcome, undefined until it settles: recorded once, whichever comes first. */
  readonly #outcomes: Outcome[];
  /** How many handlers failed: none, and the run resolves without filtering its outcomes. */
  #failures = 0;
  #pending: number;
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
    this.#outcomes = new Array<Outcome>(targets.length);
    this.#pending = targets.length;
    this.promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Runs the handlers as the options say; resolves with the failures. */
  start(options: SyncOptions | undefined): Promise<HandlerError[]> {
    if (this.#pending === 0) this.#finish();
    else if (
      options?.signal === undefined &&
      options?.timeout === undefined &&
      !options?.sequential
    ) {
      for (let i = 0; i < this.#targets.length; i++) this.#call(i, this.#hooks.shutdownSignal);
    } else {
      this.#guarded(options);
    }
    return this.promise;
  }

  /** The subscriptions whose handlers have not settled yet. */
  unfinished(): Subscription[] {
    return this.#targets.filter((_, i) => this.#outcomes[i] === undefined);
  }

  /** Fails every handler that has not settled with `reason`, and settles the run. */
  abandon(reason: unknown): void {
    for (let i = 0; i < this.#targets.length; i++) this.#fail(i, reason);
  }

  /** How many handlers are still running. */
  get running(): number {
    return this.#pending;
  }

  #call(index: number, signal: AbortSignal): PromiseLike<void> | undefined {
    const sub = this.#targets[index] as Subscription;
    if (!sub.active) {
      this.#record(index, null);
      return undefined;
    }
    let result: unknown;
    try {
      result = this.#hooks.invoke(sub, this.event, this.#publish, signal);
    } catch (error) {
      expireClock();
      this.#fail(index, error);
      return undefined;
    }
    expireClock();
    if (!isPromiseLike(result)) {
      this.#succeed(index);
      return undefined;
    }
    return Promise.resolve(result).then(
      () => this.#succeed(index),
      (error: unknown) => this.#fail(index, error),
    );
  }

  #succeed(index: number): void {
    if (this.#outcomes[index] !== undefined) return;
    this.#counters.delivered++;
    this.#record(index, null);
  }

  #fail(index: number, error: unknown): void {
    if (this.#outcomes[index] !== undefined) return;
    this.#failures++;
    this.#record(
      index,
      this.#hooks.failed(this.#targets[index] as Subscription, this.event, error),
    );
  }

  #record(index: number, outcome: Outcome): void {
    this.#outcomes[index] = outcome;
    if (--this.#pending === 0) this.#finish();
  }

  #finish(): void {
    this.#hooks.done(this);
    this.#resolve(
      this.#failures === 0
        ? []
        : this.#outcomes.filter((outcome): outcome is HandlerError => outcome !== null),
    );
  }

  /** With a signal, a deadline or in sequence: handlers see one signal combining them. */
  async #guarded(options: SyncOptions): Promise<void> {
    const { signal, timeout, sequential = false } = options;
    const controller = new AbortController();
    const sources =
      signal === undefined ? [this.#hooks.shutdownSignal] : [this.#hooks.shutdownSignal, signal];
    const aborted = new Promise<void>((resolve) => {
      controller.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const listeners = sources.map((source) => {
      const listener = () => controller.abort(source.reason);
      source.addEventListener('abort', listener, { once: true });
      return [source, listener] as const;
    });
    for (const source of sources) if (source.aborted) controller.abort(source.reason);
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(new TimeoutError(`publishSync of "${this.event.type}"`, timeout)),
            timeout,
          );
    try {
      if (!sequential) {
        for (let i = 0; i < this.#targets.length && !controller.signal.aborted; i++) {
          this.#call(i, controller.signal);
        }
        if (this.#pending > 0) await Promise.race([this.promise, aborted]);
      } else {
        for (let i = 0; i < this.#targets.length && !controller.signal.aborted; i++) {
          const running = this.#call(i, controller.signal);
          if (running !== undefined) await Promise.race([running, aborted]);
        }
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      for (const [source, listener] of listeners) source.removeEventListener('abort', listener);
      if (controller.signal.aborted) this.abandon(controller.signal.reason);
    }
  }
}
