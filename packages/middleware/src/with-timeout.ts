import { type AnyEvent, type Middleware, TimeoutError } from '@gossip/core';
import {
  assertDuration,
  assertFunction,
  assertHandler,
  assertPositive,
  optionsOf,
} from './assert.js';

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
   * Called when a handler that was already timed out fails afterwards (its late rejection),
   * so that failure is not lost. The delivery has already failed with a TimeoutError, so
   * nothing else is done with it; anything this callback throws is ignored.
   * @default none: the late failure is caught and dropped
   */
  readonly onLateError?: (error: unknown, event: AnyEvent) => void;
}

/**
 * Fails a handler that runs longer than `ms` milliseconds, and tells it to stop.
 *
 * The handler gets a `ctx.signal` of its own, aborted at the deadline (with the TimeoutError as
 * its reason) or when the outer signal aborts. At the deadline the middleware fails with core's
 * {@link TimeoutError} at once, whether or not the handler honours the signal; the abandoned
 * handler's late rejection is caught (and given to `onLateError`), never left unhandled. A
 * handler that fails before the deadline fails with its own error, unchanged.
 *
 * @param ms - the deadline in milliseconds, above 0
 * @param options - `onLateError`
 * @returns the middleware
 * @throws InvalidOptionError for a deadline of 0 or less, or not a finite number
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
  assertPositive('withTimeout.ms', ms);
  assertDuration('withTimeout.ms', ms);
  const { onLateError } = optionsOf('withTimeout', options);
  if (onLateError !== undefined) assertFunction('withTimeout.onLateError', onLateError);

  return (next) => {
    assertHandler('withTimeout', next);
    return (event, ctx) =>
      new Promise<void>((resolve, reject) => {
        const controller = new AbortController();
        const outer = ctx.signal;
        const forward = () => controller.abort(outer.reason);
        let settled = false;
        const settle = () => {
          settled = true;
          clearTimeout(timer);
          outer.removeEventListener('abort', forward);
        };
        const timer = setTimeout(() => {
          settle();
          const error = new TimeoutError(
            `Handler "${ctx.subscription}" for event "${event.type}" (${event.id})`,
            ms,
          );
          reject(error);
          controller.abort(error);
        }, ms);
        if (outer.aborted) forward();
        else outer.addEventListener('abort', forward, { once: true });

        let result: unknown;
        try {
          result = next(event, { ...ctx, signal: controller.signal });
        } catch (error) {
          settle();
          reject(error);
          return;
        }
        Promise.resolve(result).then(
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
            try {
              onLateError(error, event);
            } catch {
              // The delivery already failed with a TimeoutError; there is nowhere left to report.
            }
          },
        );
      });
  };
}
