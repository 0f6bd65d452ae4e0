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

/** What `invokeAll` asks of the bus. */
export interface SyncHooks {
  invoke(sub: Subscription, signal: AbortSignal): unknown;
  readonly shutdownSignal: AbortSignal;
  failed(sub: Subscription, error: unknown): HandlerError;
  delivered(): void;
}

const ABORTED = Symbol('aborted');

/**
 * Runs every subscription's handler now and resolves, once all have settled (or the signal or
 * deadline ended the run), with the failures. Every handler runs even if another fails.
 */
export async function invokeAll(
  targets: readonly Subscription[],
  event: AnyEvent,
  options: PublishSyncOptions | undefined,
  hooks: SyncHooks,
): Promise<HandlerError[]> {
  const { signal, timeout, sequential = false } = options ?? {};
  if (timeout !== undefined) assertPositive('timeout', timeout);
  if (typeof sequential !== 'boolean')
    throw new InvalidOptionError('sequential', 'a boolean', sequential);
  if (targets.length === 0) return [];

  const controller = new AbortController();
  const sources = signal === undefined ? [hooks.shutdownSignal] : [hooks.shutdownSignal, signal];
  const forward = (source: AbortSignal) => () => controller.abort(source.reason);
  const listeners = sources.map((source) => {
    const listener = forward(source);
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

  const run = async (sub: Subscription): Promise<HandlerError | undefined> => {
    if (!sub.active) return undefined;
    if (controller.signal.aborted) return hooks.failed(sub, controller.signal.reason);
    try {
      const result = hooks.invoke(sub, controller.signal);
      if (isPromiseLike(result)) {
        const outcome = await Promise.race([Promise.resolve(result), aborted]);
        if (outcome === ABORTED) return hooks.failed(sub, controller.signal.reason);
      }
      hooks.delivered();
      return undefined;
    } catch (error) {
      return hooks.failed(sub, error);
    }
  };

  try {
    const outcomes: Array<HandlerError | undefined> = [];
    if (sequential) {
      for (const sub of targets) outcomes.push(await run(sub));
    } else {
      outcomes.push(...(await Promise.all(targets.map(run))));
    }
    return outcomes.filter((outcome): outcome is HandlerError => outcome !== undefined);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    for (const [source, listener] of listeners) source.removeEventListener('abort', listener);
  }
}
