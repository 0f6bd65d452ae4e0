import { Fifo, MAX_DELAY, type Middleware, onAbort } from '@gossip/core';
import { assertHandler, assertInteger, assertPositive, optionsOf } from './assert.js';

/**
 * Options of {@link withRateLimit}.
 *
 * @example
 * ```ts
 * withRateLimit({ perSecond: 20, burst: 5 });
 * ```
 */
export interface RateLimitOptions {
  /** How many handler calls may start per second, on average; above 0 (0.5 is one every 2 s). */
  readonly perSecond: number;
  /**
   * How many calls may start at once after a quiet spell (the bucket's size); an integer of
   * at least 1. With 1, calls are spaced evenly, `1000 / perSecond` ms apart.
   * @default 1
   */
  readonly burst?: number;
}

interface Waiter {
  readonly resolve: () => void;
  /** Stops watching the waiter's signal. */
  readonly forget: () => void;
}

/**
 * Delays handler calls so that at most `perSecond` start per second (a token bucket holding
 * `burst` tokens). Calls that must wait are started in arrival order; a call whose
 * `ctx.signal` aborts while it waits fails at once with the signal's reason, without running.
 *
 * One bucket per `withRateLimit(...)` call, shared by every handler it wraps: used through
 * `bus.use`, it bounds the whole bus; give a subscription its own for a limit of its own. A
 * waiting call holds its bus worker, so the bus's `workers` bound still applies.
 *
 * @param options - perSecond (required) and burst
 * @returns the middleware
 * @throws InvalidOptionError for a rate of 0 or less, a burst below 1, or a key that is not an
 *   option (a misspelt one)
 *
 * @example
 * ```ts
 * // The mail provider accepts 10 requests a second.
 * bus.subscribe('user.created', sendWelcomeMail, { middleware: [withRateLimit({ perSecond: 10 })] });
 * ```
 */
export function withRateLimit(options: RateLimitOptions): Middleware {
  const { perSecond, burst = 1 } = optionsOf('withRateLimit', options, ['perSecond', 'burst']);
  assertPositive('withRateLimit({ perSecond })', perSecond);
  assertInteger('withRateLimit({ burst })', burst, 1);

  let tokens = burst;
  let refilledAt = Date.now();
  const waiters = new Fifo<Waiter>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refill = (): void => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) * perSecond) / 1000);
    refilledAt = now;
  };
  const wake = (): void => {
    timer = undefined;
    refill();
    while (tokens >= 1) {
      const waiter = waiters.shift();
      if (waiter === undefined) break;
      tokens -= 1;
      waiter.forget();
      waiter.resolve();
    }
    schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined || waiters.size === 0) return;
    // At least 1 ms, so that rounding never spins the timer without progress.
    const wait = Math.ceil(((1 - tokens) * 1000) / perSecond);
    timer = setTimeout(wake, Math.min(MAX_DELAY, Math.max(1, wait)));
  };
  /** Takes a token now (undefined) or returns a promise that settles when one is taken. */
  const take = (signal: AbortSignal): Promise<void> | undefined => {
    refill();
    if (waiters.size === 0 && tokens >= 1) {
      tokens -= 1;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const entry = waiters.push({
        resolve,
        forget: onAbort(signal, () => {
          waiters.delete(entry);
          if (waiters.size === 0 && timer !== undefined) {
            clearTimeout(timer);
            timer = undefined;
          }
          reject(signal.reason);
        }),
      });
      schedule();
    });
  };

  return (next) => {
    assertHandler('withRateLimit', next);
    return async (event, ctx) => {
      const wait = take(ctx.signal);
      if (wait !== undefined) await wait;
      await next(event, ctx);
    };
  };
}
