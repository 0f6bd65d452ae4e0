import { assertDelay } from './assert.js';
import { nameOf } from './describe.js';
import { BusClosedError, TimeoutError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { OnceOptions } from './event-bus.js';
import type { Handler, SubscribeOptions, Unsubscribe } from './handler.js';
import { noop } from './noop.js';
import { onAbort as onAbortOf } from './on-abort.js';

type Subscribe = (pattern: string, handler: Handler, options?: SubscribeOptions) => Unsubscribe;

/**
 * Resolves with the next event matching the pattern (and the filter), then unsubscribes.
 * Rejects with a TimeoutError after `timeout`, with the signal's reason when it aborts, and
 * with BusClosedError when the bus finishes shutting down first.
 */
export function waitForNext(
  subscribe: Subscribe,
  pattern: string,
  options: OnceOptions,
  closers: Set<() => void>,
): Promise<AnyEvent> {
  const { signal, timeout, filter } = options;
  if (timeout !== undefined) assertDelay('timeout', timeout);
  return new Promise<AnyEvent>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forget = noop;
    const done = () => {
      off();
      if (timer !== undefined) clearTimeout(timer);
      forget();
      closers.delete(onClose);
    };
    // The bus has shut down: no event can come any more.
    const onClose = () => {
      done();
      reject(new BusClosedError(pattern, 'subscribe to'));
    };
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    const name = `once(${nameOf(pattern)})`;
    const off = subscribe(
      pattern,
      (event) => {
        done();
        resolve(event);
      },
      filter === undefined ? { name } : { name, filter },
    );
    if (signal !== undefined) forget = onAbortOf(signal, onAbort);
    closers.add(onClose);
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        done();
        reject(new TimeoutError(`once("${pattern}")`, timeout));
      }, timeout);
    }
  });
}
