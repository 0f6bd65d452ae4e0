import { InvalidOptionError, MAX_DELAY, type Middleware } from '@gossip/core';
import {
  assertDuration,
  assertFunction,
  assertHandler,
  assertInteger,
  assertOneOf,
  optionsOf,
} from './assert.js';
import { recordAttempt } from './attempts.js';
import { RetryIfError } from './retry-if-error.js';
import { sleep } from './sleep.js';

/**
 * How the wait between tries grows: `exponential` doubles it after each try (`delay`,
 * `2 × delay`, `4 × delay`, ...), `linear` adds `delay` each time (`delay`, `2 × delay`,
 * `3 × delay`, ...), `fixed` keeps it at `delay`.
 *
 * @example
 * ```ts
 * const backoff: Backoff = 'linear';
 * ```
 */
export type Backoff = 'exponential' | 'linear' | 'fixed';

/**
 * Options of {@link withRetry}.
 *
 * @example
 * ```ts
 * withRetry({ attempts: 5, delay: 200, maxDelay: 5000, backoff: 'exponential', jitter: 0.5 });
 * ```
 */
export interface RetryOptions {
  /**
   * How many tries in all, the first included; an integer of at least 1. `1` means no retry.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * The wait before the second try, in milliseconds; the base of the backoff.
   * @default 100
   */
  readonly delay?: number;
  /**
   * The longest wait between two tries, in milliseconds; at least `delay`.
   * @default 30000
   */
  readonly maxDelay?: number;
  /**
   * How the wait grows from one try to the next.
   * @default 'exponential'
   */
  readonly backoff?: Backoff;
  /**
   * Randomises each wait so that many failing handlers do not retry in step: a fraction from
   * 0 to 1 of the wait that may be taken off at random (`true` is 1, full jitter; `false` is 0).
   * @default false
   */
  readonly jitter?: boolean | number;
  /**
   * Decides whether a failure is worth another try; it gets the error and the number of the
   * try that failed (from 1). Return `false` for failures that will not go away on their own.
   * If it throws, no retry is made and the call fails with a {@link RetryIfError} whose
   * `cause` is the handler's error, unchanged, and whose `retryIfError` is what it threw.
   * @default every failure is retried
   */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
}

const BACKOFFS: readonly Backoff[] = ['exponential', 'linear', 'fixed'];
const always = (): boolean => true;

/**
 * Calls the handler again when it fails, waiting longer between tries.
 *
 * The handler learns which try it is from `ctx.attempt` (1, 2, ...). The tries stop early, at
 * once, when `ctx.signal` aborts (shutdown, or an outer timeout), even in the middle of a wait.
 * When the tries are exhausted, stopped by `retryIf` or by the signal, the middleware fails with
 * the handler's last error, unchanged. If `retryIf` itself throws, the tries stop and the
 * middleware fails with a {@link RetryIfError} (code `RETRY_IF_FAILED`) whose `cause` is the
 * handler's error and whose `retryIfError` is what `retryIf` threw: the handler's failure is
 * never replaced by the predicate's.
 *
 * @param options - attempts, delay, maxDelay, backoff, jitter, retryIf
 * @returns the middleware
 * @throws InvalidOptionError for an option out of range (negative attempts or delays, say), or a
 *   key that is not an option (a misspelt one)
 *
 * @example
 * ```ts
 * bus.subscribe('order.paid', chargeCard, {
 *   middleware: [withRetry({ attempts: 3, delay: 50 })], // waits 50 ms, then 100 ms
 * });
 * ```
 */
export function withRetry(options?: RetryOptions): Middleware {
  const {
    attempts = 3,
    delay = 100,
    maxDelay = Math.min(MAX_DELAY, Math.max(30_000, typeof delay === 'number' ? delay : 0)),
    backoff = 'exponential',
    jitter = false,
    retryIf = always,
  } = optionsOf('withRetry', options, [
    'attempts',
    'delay',
    'maxDelay',
    'backoff',
    'jitter',
    'retryIf',
  ]);
  assertInteger('withRetry({ attempts })', attempts, 1);
  assertDuration('withRetry({ delay })', delay);
  assertDuration('withRetry({ maxDelay })', maxDelay);
  if (maxDelay < delay) {
    throw new InvalidOptionError(
      'withRetry({ maxDelay })',
      `at least delay (${delay} ms)`,
      maxDelay,
    );
  }
  assertOneOf('withRetry({ backoff })', backoff, BACKOFFS);
  const spread = jitterOf(jitter);
  assertFunction('withRetry({ retryIf })', retryIf);

  const waitAfter = (attempt: number): number => {
    const base =
      backoff === 'exponential'
        ? delay * 2 ** (attempt - 1)
        : backoff === 'linear'
          ? delay * attempt
          : delay;
    const capped = Math.min(base, maxDelay);
    return spread === 0 ? capped : capped - Math.random() * spread * capped;
  };

  return (next) => {
    assertHandler('withRetry', next);
    return async (event, ctx) => {
      for (let attempt = 1; ; attempt++) {
        recordAttempt(ctx, attempt);
        try {
          await next(event, { ...ctx, attempt });
          return;
        } catch (error) {
          if (attempt >= attempts || ctx.signal.aborted) throw error;
          let retry: boolean;
          try {
            retry = retryIf(error, attempt);
          } catch (retryIfError) {
            throw new RetryIfError(event, ctx.subscription, attempt, error, retryIfError);
          }
          if (!retry) throw error;
          if (!(await sleep(waitAfter(attempt), ctx.signal))) throw error;
        }
      }
    };
  };
}

function jitterOf(jitter: unknown): number {
  if (jitter === true) return 1;
  if (jitter === false) return 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new InvalidOptionError(
      'withRetry({ jitter })',
      'a boolean or a number from 0 to 1',
      jitter,
    );
  }
  return jitter;
}
