import { type AnyEvent, type Middleware, onAbort } from '@gossip/core';
import {
  assertFunction,
  assertHandler,
  assertInteger,
  assertPositive,
  optionsOf,
} from './assert.js';

/**
 * Options of {@link withDedupe}.
 *
 * @example
 * ```ts
 * withDedupe({ key: (event) => event.metadata.idempotencyKey ?? event.id, ttl: 600_000, maxEntries: 50_000 });
 * ```
 */
export interface DedupeOptions {
  /**
   * The identity of an event: two events with the same key are the same event.
   * @default (event) => event.id
   */
  readonly key?: (event: AnyEvent) => string;
  /**
   * How long a handled key is remembered, in milliseconds.
   * @default 60000
   */
  readonly ttl?: number;
  /**
   * How many keys are remembered at most; beyond it the oldest are forgotten first.
   * @default 10000
   */
  readonly maxEntries?: number;
  /**
   * Called with each event skipped as a duplicate.
   * @default none
   */
  readonly onDuplicate?: (event: AnyEvent) => void;
}

const byId = (event: AnyEvent): string => event.id;

/**
 * Skips an event already handled successfully: by event id, or by the `key` given, within a
 * bounded window (`ttl` milliseconds, `maxEntries` keys). Useful where delivery is at least
 * once, as from a broker that redelivers.
 *
 * Only successes are remembered, so a failed event is handled again when it comes back. A
 * duplicate that arrives while the first is still running waits for it, then is skipped if it
 * succeeded or handled if it failed. A skipped event counts as delivered. The memory belongs
 * to each handler the middleware wraps, so two subscriptions sharing it (through `bus.use`)
 * each handle an event once.
 *
 * @param options - key, ttl, maxEntries, onDuplicate
 * @returns the middleware
 * @throws InvalidOptionError for a ttl that is not above 0, a maxEntries below 1, or a key that is
 *   not an option (a misspelt one)
 *
 * @example
 * ```ts
 * bus.subscribe('payment.received', creditAccount, { middleware: [withDedupe({ ttl: 3_600_000 })] });
 * ```
 */
export function withDedupe(options?: DedupeOptions): Middleware {
  const {
    key = byId,
    ttl = 60_000,
    maxEntries = 10_000,
    onDuplicate,
  } = optionsOf('withDedupe', options, ['key', 'ttl', 'maxEntries', 'onDuplicate']);
  assertFunction('withDedupe({ key })', key);
  assertPositive('withDedupe({ ttl })', ttl);
  assertInteger('withDedupe({ maxEntries })', maxEntries, 1);
  if (onDuplicate !== undefined) assertFunction('withDedupe({ onDuplicate })', onDuplicate);

  return (next) => {
    assertHandler('withDedupe', next);
    /** Handled keys and when each expires; insertion order is expiry order, oldest first. */
    const seen = new Map<string, number>();
    /** Keys being handled now, each with a promise that settles when that call ends. */
    const running = new Map<string, Promise<void>>();

    const isSeen = (id: string, now: number): boolean => {
      const expires = seen.get(id);
      if (expires === undefined) return false;
      if (expires > now) return true;
      seen.delete(id);
      return false;
    };
    const remember = (id: string, now: number): void => {
      seen.delete(id);
      seen.set(id, now + ttl);
      for (const [oldest, expires] of seen) {
        if (seen.size <= maxEntries && expires > now) break;
        seen.delete(oldest);
      }
    };

    return async (event, ctx) => {
      const id = key(event);
      for (;;) {
        if (isSeen(id, Date.now())) {
          onDuplicate?.(event);
          return;
        }
        const first = running.get(id);
        if (first === undefined) break;
        await settledOrAborted(first, ctx.signal);
      }
      let done = (): void => {};
      running.set(
        id,
        new Promise<void>((resolve) => {
          done = resolve;
        }),
      );
      try {
        await next(event, ctx);
        remember(id, Date.now());
      } finally {
        running.delete(id);
        done();
      }
    };
  };
}

/** Waits for the first call with the same key, unless this call's signal aborts first. */
function settledOrAborted(first: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const forget = onAbort(signal, () => reject(signal.reason));
    void first.then(() => {
      forget();
      resolve();
    });
  });
}
