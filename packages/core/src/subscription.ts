import { compose } from './compose.js';
import type { AnyEvent } from './event.js';
import type { Filter, Handler, SubscribeOptions } from './handler.js';
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
  /** Tells `once` or `stream` that `bus.clear()` ended their subscription. */
  cleared: () => void = noop;
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
