import { assertDelay, assertFunction } from './assert.js';
import { assertSignal } from './bus-options.js';
import { checkOptions, type OptionChecks } from './check-options.js';
import { namesOf } from './describe.js';
import { BusClosedError, TimeoutError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { Handler, SubscribeOptions, Unsubscribe } from './handler.js';
import { noop } from './noop.js';
import { onAbort as onAbortOf } from './on-abort.js';
import type { OnceOptions } from './once-options.js';

/**
 * Subscribes for `once` or `stream`, to one pattern or several; `cleared` runs when
 * `bus.clear()` ends one of the subscriptions.
 */
export type Subscribe = (
  pattern: string | readonly string[],
  handler: Handler,
  options: SubscribeOptions,
  cleared: () => void,
) => Unsubscribe;

/** The options of once, each with its check. */
const ONCE_CHECKS: OptionChecks = {
  signal: assertSignal,
  timeout: assertDelay,
  filter: assertFunction,
};

/**
 * Resolves with the next event matching the pattern (and the filter), then unsubscribes.
 * Rejects with a TimeoutError after `timeout`, with the signal's reason when it aborts, with
 * BusClosedError when the bus finishes shutting down first, and with an AbortError when
 * `bus.clear()` ends its subscription.
 */
export function waitForNext(
  subscribe: Subscribe,
  pattern: string | readonly string[],
  options: OnceOptions,
  closers: Set<() => void>,
): Promise<AnyEvent> {
  let read: OnceOptions;
  try {
    read = checkOptions('once', options, ONCE_CHECKS);
  } catch (error) {
    // Refused through the promise, as a bad pattern is: `once(...).catch()` sees every refusal.
    return Promise.reject(error);
  }
  const { signal, timeout, filter } = read;
  return new Promise<AnyEvent>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forget = noop;
    let off: () => void = noop;
    let settled = false;
    let resolved = false;
    /**
     * Ends the wait, once, whichever way it ends: true for the first caller only, which then
     * settles the promise. Marked settled before anything else runs, so that code the cleanup
     * calls back (an `unsubscribe` listener that clears another pattern) cannot settle it too.
     */
    const end = (): boolean => {
      if (settled) return false;
      settled = true;
      off();
      if (timer !== undefined) clearTimeout(timer);
      forget();
      closers.delete(onClose);
      return true;
    };
    const names = namesOf(pattern);
    // The bus has shut down: no event can come any more.
    const onClose = () => {
      if (end()) reject(new BusClosedError(names, 'subscribe to'));
    };
    const name = `once(${names})`;
    // Listed before it subscribes: a `subscribe` listener may shut the bus down meanwhile.
    closers.add(onClose);
    try {
      off = subscribe(
        pattern,
        (event) => {
          if (end()) {
            resolved = true;
            resolve(event);
          } else if (!resolved) {
            // A delivery that was running (in async middleware) when the wait ended otherwise:
            // nothing waits for its event now, so it fails and is reported.
            throw new Error(
              `${name} had ended (timeout, abort, clear() or shutdown) before this event.`,
            );
          }
        },
        filter === undefined ? { name } : { name, filter },
        () => {
          // bus.clear() ended the subscription: no event can come to this wait any more.
          if (end()) reject(abortError(`${name} was ended by bus.clear()`));
        },
      );
    } catch (error) {
      end();
      throw error;
    }
    // Cleared, or the bus shut down, while it subscribed (from a `subscribe` listener): the
    // rest of it goes too.
    if (settled) {
      off();
      return;
    }
    if (signal !== undefined) {
      forget = onAbortOf(signal, () => {
        if (end()) reject(signal.reason);
      });
    }
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        if (end()) reject(new TimeoutError(`once("${names}")`, timeout));
      }, timeout);
    }
  });
}

/** An AbortError, as an aborted signal gives: a DOMException, or an Error so named without one. */
function abortError(message: string): Error {
  return typeof DOMException === 'function'
    ? new DOMException(message, 'AbortError')
    : Object.assign(new Error(message), { name: 'AbortError' });
}
