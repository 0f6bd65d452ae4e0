import { compose } from './compose.js';
import type { AnyEvent } from './event.js';
import type { Filter, Handler, SubscribeOptions } from './handler.js';
import { isPromiseLike } from './is-promise-like.js';
import { noop } from './noop.js';
import type { Parked } from './parked.js';
import { compilePattern } from './pattern-matcher.js';
import type { Queue } from './queue.js';
import type { SubscriptionInfo } from './subscription-info.js';

/** One subscription, as the bus keeps it. */
export class Subscription {
  readonly pattern: string;
  readonly name: string;
  readonly matches: (type: string) => boolean;
  readonly filter: Filter | undefined;
  readonly orderingKey: ((event: AnyEvent) => string | number) | undefined;
  /** The handler wrapped in the subscription's own middleware, made once. */
  readonly inner: Handler;
  /** `inner` wrapped in the bus's middleware; remade when `bus.use()` adds some. */
  effective: Handler;
  active = true;
  /** Ends the subscription as its unsubscribe function does (`bus.clear()` calls it). */
  end: () => void = noop;
  /**
   * Tells `once` or `stream` that `bus.clear()` ended their subscription; called once none of
   * its deliveries runs any more, so that an event a running delivery brings is not lost.
   */
  cleared: () => void = noop;
  /** How many of its deliveries run now, counted for `once` and `stream` only ({@link counting}). */
  #running = 0;
  #afterRunning: (() => void) | undefined;
  readonly #options: SubscribeOptions;
  /** Ordering keys in use, each with the deliveries waiting for it. */
  readonly keys = new Map<unknown, Queue<Parked>>();

  constructor(pattern: string, handler: Handler, options: SubscribeOptions) {
    this.pattern = pattern;
    this.name = options.name ?? pattern;
    this.matches = compilePattern(pattern);
    this.inner = compose(options.middleware ?? [], handler);
    this.effective = this.inner;
    this.filter = options.filter;
    this.orderingKey = options.orderingKey;
    this.#options = options;
  }

  /**
   * Wraps the handler of a `once` or a `stream` so that its running deliveries are counted: a
   * delivery may run in async middleware when `bus.clear()` ends the subscription, and its
   * event must still reach the wait or the stream. Other subscriptions pay nothing.
   */
  counting(handler: Handler): Handler {
    if (this.cleared === noop) return handler;
    return (event, ctx) => {
      this.#running++;
      try {
        const result = handler(event, ctx);
        if (isPromiseLike(result)) return Promise.resolve(result).finally(this.#ran);
        this.#ran();
        return result;
      } catch (error) {
        this.#ran();
        throw error;
      }
    };
  }

  /** Calls `cleared` now if no delivery of it runs, else once the last one has settled. */
  endCleared(): void {
    if (this.#running === 0) this.cleared();
    else this.#afterRunning = this.cleared;
  }

  readonly #ran = (): void => {
    const after = --this.#running === 0 ? this.#afterRunning : undefined;
    if (after === undefined) return;
    this.#afterRunning = undefined;
    after();
  };

  /** What `bus.subscriptions()` lists of it. */
  info(): SubscriptionInfo {
    const { filter, orderingKey, signal, middleware } = this.#options;
    return {
      name: this.name,
      pattern: this.pattern,
      filter: filter !== undefined,
      orderingKey: orderingKey !== undefined,
      signal: signal !== undefined,
      middleware: middleware?.length ?? 0,
    };
  }
}
