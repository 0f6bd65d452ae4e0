import { type AnyEvent, HandlerError, type Middleware } from '@gossip/core';
import { assertFunction, assertHandler, optionsOf } from './assert.js';
import { textOf, UNREADABLE } from './text-of.js';

/**
 * Options of {@link withRecovery}.
 *
 * @example
 * ```ts
 * withRecovery({ onError: (error) => metrics.increment('handler.failed', { sub: error.subscription }) });
 * ```
 */
export interface RecoveryOptions {
  /**
   * Called with every failure, as a HandlerError, before it is rethrown to the bus. If it
   * throws, the rethrown HandlerError's cause is an AggregateError of both failures.
   * @default none
   */
  readonly onError?: (error: HandlerError) => void;
}

/**
 * Normalises and reports a handler's failure; never turns a failure into a success.
 *
 * Whatever the handler (and the middleware inside this one) throws or rejects with, an Error
 * or any other value, becomes a {@link HandlerError} carrying the event, the subscription and
 * the thrown value as `cause`. `onError` is called with it, then it is rethrown: the bus counts
 * the delivery as failed and reports that same error to its own `onError` (it does not wrap a
 * HandlerError for the same event twice). Put it first in a chain to catch everything.
 *
 * @param options - `onError`, called with each failure
 * @returns the middleware
 * @throws InvalidOptionError if `onError` is given and not a function, or the options hold
 *   another key (a misspelt `onError`)
 *
 * @example
 * ```ts
 * bus.use(withRecovery({ onError: (error) => log.warn(error.message) }));
 * bus.subscribe('user.created', () => {
 *   throw 'boom'; // reported as HandlerError: threw a non-Error value: "boom"
 * });
 * ```
 */
export function withRecovery(options?: RecoveryOptions): Middleware {
  const { onError } = optionsOf('withRecovery', options, ['onError']);
  if (onError !== undefined) assertFunction('withRecovery({ onError })', onError);
  return (next) => {
    assertHandler('withRecovery', next);
    return async (event, ctx) => {
      try {
        await next(event, ctx);
      } catch (cause) {
        const error = isOwnHandlerError(cause, event)
          ? cause
          : handlerError(event, ctx.subscription, cause);
        if (onError === undefined) throw error;
        try {
          onError(error);
        } catch (hookError) {
          throw new HandlerError(
            event,
            ctx.subscription,
            new AggregateError(
              [error.cause, hookError],
              `${error.message}; then withRecovery's onError threw: ${textOf(hookError)}`,
            ),
          );
        }
        throw error;
      }
    };
  };
}

/** True for a HandlerError already made for this event; false for anything else, a revoked Proxy included. */
function isOwnHandlerError(value: unknown, event: AnyEvent): value is HandlerError {
  try {
    return value instanceof HandlerError && value.event === event;
  } catch {
    return false;
  }
}

/**
 * A HandlerError carrying `cause`, whatever it is. Core's constructor reads the cause to word
 * its message, which throws for a revoked Proxy or an Error whose `message` getter throws; then
 * the message names an unreadable value and the cause is set afterwards, so the failure is
 * still reported with the very value that was thrown, never replaced by a TypeError.
 */
function handlerError(event: AnyEvent, subscription: string, cause: unknown): HandlerError {
  try {
    return new HandlerError(event, subscription, cause);
  } catch {
    const error = new HandlerError(event, subscription, UNREADABLE);
    Object.defineProperty(error, 'cause', {
      value: cause,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    return error;
  }
}
