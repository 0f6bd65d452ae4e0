import { type AnyEvent, type Middleware, onAbort, TimeoutError } from '@gossip/core';
import {
  assertDuration,
  assertFunction,
  assertHandler,
  assertPositive,
  optionsOf,
} from './assert.js';
import { callQuietly } from './call-quietly.js';
import { unref } from './unref.js';

/**
 * Options of {@link withTimeout}, after the deadline.
 *
 * @example
 * ```ts
 * withTimeout(5000, { onLateError: (error, event) => log.warn({ error, id: event.id }, 'late failure') });
 * ```
 */
export interface TimeoutOptions {
  /**
   * Called when a handler that was already given up on (timed out, or its outer signal
   * aborted) fails afterwards (its late rejection), so that failure is not lost. The delivery
   * has already failed with a TimeoutError or the outer signal's reason, so
   * nothing else is done with it; anything this callback throws is ignored.
   * @default none: the late failure is caught and dropped
   */
  readonly onLateError?: (error: unknown, event: AnyEvent) => void;
}

/**
 * Fails a handler that runs longer than `ms` milliseconds, and tells it to stop.
 *
 * The handler gets a `ctx.signal` of its own, aborted at the deadline (with the TimeoutError as
 * its reason) or when the outer signal aborts (with the outer reason). At the deadline the
 * middleware fails with core's {@link TimeoutError} at once, and when the outer signal aborts
 * (the bus's shutdown deadline) with the outer signal's reason at once, whether or not the
 * handler honours the signal; the abandoned handler's late rejection is caught (and given to
 * `onLateError`), never left unhandled. A handler that fails before the deadline fails with its
 * own error, unchanged.
 *
 * The deadline's timer never outlives the call: it is cleared when the call settles or the
 * outer signal aborts, and it is unref'd where the host allows, so a handler stuck on nothing
 * does not keep a process alive after the bus has shut down.
 *
 * @param ms - the deadline in milliseconds, above 0
 * @param options - `onLateError`
 * @returns the middleware
 * @throws InvalidOptionError for a deadline of 0 or less, or not a finite number, or options
 *   holding a key other than `onLateError`
 *
 * @example
 * ```ts
 * bus.subscribe('report.requested', async (event, ctx) => {
 *   const response = await fetch(event.data.url, { signal: ctx.signal });
 *   await store(await response.text());
 * }, { middleware: [withTimeout(5000)] });
 * ```
 */
export function withTimeout(ms: number, options?: TimeoutOptions): Middleware {
  assertPositive('withTimeout({ ms })', ms);
  assertDuration('withTimeout({ ms })', ms);
  const { onLateError } = optionsOf('withTimeout', options, ['onLateError']);
  if (onLateError !== undefined) assertFunction('withTimeout({ onLateError })', onLateError);

  return (next) => {
    assertHandler('withTimeout', next);
    return (event, ctx) =>
      new Promise<void>((resolve, reject) => {
        const controller = new AbortController();
        const outer = ctx.signal;
        let settled = false;
        let forget = (): void => {};
        const settle = () => {
          settled = true;
          clearTimeout(timer);
          forget();
        };
        /** Fails the call at once, tells the handler to stop, and lets its late outcome go. */
        const giveUp = (reason: unknown) => {
          settle();
          reject(reason);
          controller.abort(reason);
        };
        const timer = setTimeout(
          () =>
            giveUp(
              new TimeoutError(
                `Handler "${ctx.subscription}" for event "${event.type}" (${event.id})`,
                ms,
              ),
            ),
          ms,
        );
        unref(timer);
        forget = onAbort(outer, () => giveUp(outer.reason));
        if (settled) return; // the outer signal had already aborted: the handler is not called

        let result: PromiseLike<unknown>;
        try {
          // Inside the guard: a handler may throw, or return a thenable whose `then` throws.
          result = Promise.resolve(next(event, { ...ctx, signal: controller.signal }));
        } catch (error) {
          settle();
          reject(error);
          return;
        }
        result.then(
          () => {
            if (settled) return;
            settle();
            resolve();
          },
          (error: unknown) => {
            if (!settled) {
              settle();
              reject(error);
              return;
            }
            if (onLateError === undefined) return;
            // The delivery has already failed; there is nowhere left to report.
            callQuietly(() => onLateError(error, event));
          },
        );
      });
  };
}
