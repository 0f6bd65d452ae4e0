import { assertPositive } from './assert.js';
import { type HandlerError, InvalidOptionError, TimeoutError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { PublishOptions } from './handler.js';
import { isPromiseLike } from './schema-registry.js';
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

/** What `invokeAll` asks of the bus; made once per bus. */
export interface SyncHooks {
  invoke(sub: Subscription, event: AnyEvent, signal: AbortSignal): unknown;
  readonly shutdownSignal: AbortSignal;
  failed(sub: Subscription, event: AnyEvent, error: unknown): HandlerError;
  delivered(event: AnyEvent): void;
  /** Called once the run has settled. */
  done(): void;
}

const ABORTED = Symbol('aborted');
type Outcome = HandlerError | undefined;

/**
 * Runs every subscription's handler now and resolves, once all have settled (or the signal or
 * deadline ended the run), with the failures. Every handler runs even if another fails.
 */
export function invokeAll(
  targets: readonly Subscription[],
  event: AnyEvent,
  options: PublishSyncOptions | undefined,
  hooks: SyncHooks,
): Promise<HandlerError[]> {
  if (options?.signal === undefined && options?.timeout === undefined && !options?.sequential) {
    return join(targets, event, hooks);
  }
  return invokeGuarded(targets, event, options, hooks).then(
    (settled) => finish(settled, hooks),
    (error: unknown) => {
      hooks.done();
      throw error;
    },
  );
}

function finish(outcomes: Outcome[], hooks: SyncHooks): HandlerError[] {
  hooks.done();
  return outcomes.filter((outcome): outcome is HandlerError => outcome !== undefined);
}

/**
 * The common case, no cancellation and no deadline: no AbortController, no race, and one
 * promise reaction per asynchronous handler, so the run costs about what
 * `await Promise.all(handlers.map((h) => h(event)))` costs.
 */
function join(
  targets: readonly Subscription[],
  event: AnyEvent,
  hooks: SyncHooks,
): Promise<HandlerError[]> {
  const outcomes: Outcome[] = new Array(targets.length);
  let pending = targets.length;
  let resolve: (errors: HandlerError[]) => void = () => {};
  const record = (index: number, outcome: Outcome) => {
    outcomes[index] = outcome;
    if (--pending === 0) resolve(finish(outcomes, hooks));
  };
  for (let i = 0; i < targets.length; i++) {
    const sub = targets[i] as Subscription;
    if (!sub.active) {
      pending--;
      continue;
    }
    let result: unknown;
    try {
      result = hooks.invoke(sub, event, hooks.shutdownSignal);
    } catch (error) {
      outcomes[i] = hooks.failed(sub, event, error);
      pending--;
      continue;
    }
    if (!isPromiseLike(result)) {
      hooks.delivered(event);
      pending--;
      continue;
    }
    const index = i;
    result.then(
      () => {
        hooks.delivered(event);
        record(index, undefined);
      },
      (error: unknown) => record(index, hooks.failed(sub, event, error)),
    );
  }
  if (pending === 0) return Promise.resolve(finish(outcomes, hooks));
  return new Promise<HandlerError[]>((settle) => {
    resolve = settle;
  });
}

/** Calls one handler; its outcome, or a promise of it for an asynchronous handler. */
function settleOne(
  sub: Subscription,
  event: AnyEvent,
  hooks: SyncHooks,
  signal: AbortSignal,
): Outcome | Promise<Outcome> {
  if (!sub.active) return undefined;
  let result: unknown;
  try {
    result = hooks.invoke(sub, event, signal);
  } catch (error) {
    return hooks.failed(sub, event, error);
  }
  if (!isPromiseLike(result)) {
    hooks.delivered(event);
    return undefined;
  }
  return Promise.resolve(result).then(
    () => {
      hooks.delivered(event);
      return undefined;
    },
    (error: unknown) => hooks.failed(sub, event, error),
  );
}

/** The run with a signal, a deadline or in sequence: handlers see one signal combining them. */
async function invokeGuarded(
  targets: readonly Subscription[],
  event: AnyEvent,
  options: PublishSyncOptions,
  hooks: SyncHooks,
): Promise<Outcome[]> {
  const { signal, timeout, sequential = false } = options;
  if (timeout !== undefined) assertPositive('timeout', timeout);
  if (typeof sequential !== 'boolean') {
    throw new InvalidOptionError('sequential', 'a boolean', sequential);
  }
  const controller = new AbortController();
  const sources = signal === undefined ? [hooks.shutdownSignal] : [hooks.shutdownSignal, signal];
  const listeners = sources.map((source) => {
    const listener = () => controller.abort(source.reason);
    if (source.aborted) listener();
    else source.addEventListener('abort', listener, { once: true });
    return [source, listener] as const;
  });
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new TimeoutError(`publishSync of "${event.type}"`, timeout)),
          timeout,
        );
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    if (controller.signal.aborted) resolve(ABORTED);
    controller.signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });

  const run = async (sub: Subscription): Promise<Outcome> => {
    if (!sub.active) return undefined;
    if (controller.signal.aborted) return hooks.failed(sub, event, controller.signal.reason);
    const outcome = await Promise.race([settleOne(sub, event, hooks, controller.signal), aborted]);
    return outcome === ABORTED ? hooks.failed(sub, event, controller.signal.reason) : outcome;
  };

  try {
    if (!sequential) return await Promise.all(targets.map(run));
    const outcomes: Outcome[] = [];
    for (const sub of targets) outcomes.push(await run(sub));
    return outcomes;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    for (const [source, listener] of listeners) source.removeEventListener('abort', listener);
  }
}
