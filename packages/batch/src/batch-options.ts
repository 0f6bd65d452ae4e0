import {
  type AnyEvent,
  assertKnownOptions,
  InvalidOptionError,
  MAX_DELAY,
  optionName,
} from '@gossip/core';
import type { BatchError } from './batch-error.js';
import type { BatchHandler } from './batch-handler.js';

/** The longest delay `setTimeout` honours; a longer one would fire at once. */

/**
 * How a failed batch is tried again before it is reported: `attempts` calls in all, waiting
 * `delay` before the second, then doubling (or not, with `backoff: 'fixed'`) up to `maxDelay`.
 * The batch keeps its concurrency slot while it waits, so the next batch does not overtake it.
 *
 * @example
 * ```ts
 * new BatchProcessor('order.created', { retry: { attempts: 3, delay: 200 } }, saveOrders);
 * // tries at 0, +200 ms, +400 ms; then reports a BatchError to onError
 * ```
 */
export interface BatchRetryOptions {
  /** How many times the handler is called in all, the first included: 1 means no retry. */
  readonly attempts: number;
  /**
   * Milliseconds to wait before the second attempt.
   * @default 100
   */
  readonly delay?: number;
  /**
   * `exponential` doubles the delay after each attempt; `fixed` keeps it.
   * @default 'exponential'
   */
  readonly backoff?: 'fixed' | 'exponential';
  /**
   * The longest wait between two attempts, in milliseconds.
   * @default 30000
   */
  readonly maxDelay?: number;
}

/**
 * Options of a {@link BatchProcessor}. Every one is checked when the processor is made; a bad
 * value, or a key that is not an option (a misspelt one), throws `InvalidOptionError` at once.
 *
 * @typeParam TEvent - the events the processor gathers
 *
 * @example
 * ```ts
 * new BatchProcessor('order.created', {
 *   batchSize: 50,
 *   flushInterval: 2000,
 *   maxConcurrency: 2,
 *   retry: { attempts: 3 },
 *   onError: (error) => deadLetter(error.events),
 * }, saveOrders);
 * ```
 */
export interface BatchOptions<TEvent extends AnyEvent = AnyEvent> {
  /**
   * A batch is handed to the handler as soon as it holds this many events (an integer, 1 or more).
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * Milliseconds after the first event of a batch at which the batch is handed over, full or
   * not: above 0 (up to 2147483647), or `Infinity` to flush only on size, `flush()` and
   * `shutdown()`.
   * @default 1000
   */
  readonly flushInterval?: number;
  /**
   * How many batches may be handled at once. With 1, batches never overlap and run in the
   * order they were formed.
   * @default 1
   */
  readonly maxConcurrency?: number;
  /**
   * The most events the processor holds: in the batch being filled, in batches waiting for a
   * slot and in batches being handled (retries included). When it is reached, the bus's handler
   * call waits for room (backpressure). At least `batchSize`.
   * @default batchSize * (maxConcurrency + 1): the running batches and one filling
   */
  readonly maxPending?: number;
  /**
   * Tries a failed batch again before reporting it.
   * @default no retry (one attempt)
   */
  readonly retry?: BatchRetryOptions;
  /**
   * Called with each batch that failed for good, carrying its events: store them, or send them
   * to a dead-letter handler. If it returns a promise, `flush()` and `shutdown()` wait for it.
   * It runs after the batch has given back its room, so it may publish to the bus without
   * deadlock.
   * @default none: the error is thrown from a microtask, so the host reports it as uncaught
   *   (a failed batch is never dropped silently)
   */
  readonly onError?: (error: BatchError<TEvent>) => void | Promise<void>;
}

/** The options, checked and defaulted. */
export interface BatchSettings<TEvent extends AnyEvent> {
  readonly batchSize: number;
  readonly flushInterval: number;
  readonly maxConcurrency: number;
  readonly maxPending: number;
  readonly attempts: number;
  readonly delay: number;
  readonly backoff: 'fixed' | 'exponential';
  readonly maxDelay: number;
  readonly onError: ((error: BatchError<TEvent>) => void | Promise<void>) | undefined;
}

/** Every option of a {@link BatchProcessor}, for the check of unknown keys. */
export const BATCH_OPTIONS = [
  'batchSize',
  'flushInterval',
  'maxConcurrency',
  'maxPending',
  'retry',
  'onError',
] as const satisfies readonly (keyof BatchOptions)[];

/** Every option of {@link BatchRetryOptions}. */
const RETRY_OPTIONS = [
  'attempts',
  'delay',
  'backoff',
  'maxDelay',
] as const satisfies readonly (keyof BatchRetryOptions)[];

function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(name, `an integer of at least ${min}`, value);
  }
}

function assertMilliseconds(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0) || value > MAX_DELAY) {
    throw new InvalidOptionError(name, `a number of milliseconds from 0 to ${MAX_DELAY}`, value);
  }
}

/**
 * Checks the arguments of a processor as `fn` was given them (`BatchProcessor`, or
 * `createBatchProcessor`, which checks them before it makes one, so that errors name the
 * function that was called): the pattern, the keys of the options and of `retry` (a misspelt
 * one is refused before any value is read), every option, and the handler, throwing
 * InvalidOptionError for the first bad one. Returns the options with their defaults.
 */
export function resolveBatchOptions<TEvent extends AnyEvent>(
  fn: string,
  pattern: unknown,
  options: BatchOptions<TEvent>,
  handler: BatchHandler<TEvent>,
): BatchSettings<TEvent> {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new InvalidOptionError(
      `${fn}(pattern)`,
      'a non-empty event pattern such as "order.*"',
      pattern,
    );
  }
  assertKnownOptions(fn, options, BATCH_OPTIONS);
  const name = (option: string): string => optionName(fn, option);
  const { batchSize = 100, flushInterval = 1000, maxConcurrency = 1, retry, onError } = options;
  assertInteger(name('batchSize'), batchSize, 1);
  if (
    typeof flushInterval !== 'number' ||
    !(flushInterval > 0) ||
    (flushInterval > MAX_DELAY && flushInterval !== Number.POSITIVE_INFINITY)
  ) {
    throw new InvalidOptionError(
      name('flushInterval'),
      `a number of milliseconds above 0 (up to ${MAX_DELAY}), or Infinity to flush only on size`,
      flushInterval,
    );
  }
  assertInteger(name('maxConcurrency'), maxConcurrency, 1);
  const maxPending = options.maxPending ?? batchSize * (maxConcurrency + 1);
  assertInteger(name('maxPending'), maxPending, batchSize);
  if (onError !== undefined && typeof onError !== 'function') {
    throw new InvalidOptionError(name('onError'), 'a function', onError);
  }
  if (typeof handler !== 'function') {
    throw new InvalidOptionError(`${fn}(handler)`, 'a batch handler function', handler);
  }
  if (retry === undefined) {
    return {
      batchSize,
      flushInterval,
      maxConcurrency,
      maxPending,
      attempts: 1,
      delay: 0,
      backoff: 'fixed',
      maxDelay: 0,
      onError,
    };
  }
  if (typeof retry !== 'object' || retry === null) {
    throw new InvalidOptionError(name('retry'), 'an object such as { attempts: 3 }', retry);
  }
  assertKnownOptions(fn, retry, RETRY_OPTIONS, 'retry.');
  const { attempts, delay = 100, backoff = 'exponential', maxDelay = 30_000 } = retry;
  assertInteger(name('retry.attempts'), attempts, 1);
  assertMilliseconds(name('retry.delay'), delay);
  if (backoff !== 'fixed' && backoff !== 'exponential') {
    throw new InvalidOptionError(name('retry.backoff'), "'fixed' or 'exponential'", backoff);
  }
  assertMilliseconds(name('retry.maxDelay'), maxDelay);
  return {
    batchSize,
    flushInterval,
    maxConcurrency,
    maxPending,
    attempts,
    delay,
    backoff,
    maxDelay,
    onError,
  };
}

/**
 * The deadline `shutdown(options)` was given, checked: 0 to MAX_DELAY milliseconds, or Infinity
 * for none; 30 000 when not given. Options that are not an object, or hold a key other than
 * `timeout`, are refused too.
 */
export function shutdownTimeout(options: { readonly timeout?: number }): number {
  assertKnownOptions('shutdown', options, ['timeout']);
  const timeout = options.timeout ?? 30_000;
  if (
    typeof timeout !== 'number' ||
    !(timeout >= 0) ||
    (timeout > MAX_DELAY && timeout !== Number.POSITIVE_INFINITY)
  ) {
    throw new InvalidOptionError(
      'shutdown({ timeout })',
      `a number of milliseconds from 0 to ${MAX_DELAY}, or Infinity for no deadline`,
      timeout,
    );
  }
  return timeout;
}

/** The wait before the attempt after `attempt`. */
export function retryDelay<TEvent extends AnyEvent>(
  settings: BatchSettings<TEvent>,
  attempt: number,
): number {
  const { delay, backoff, maxDelay } = settings;
  const wait = backoff === 'fixed' ? delay : delay * 2 ** (attempt - 1);
  return Math.min(wait, maxDelay);
}
