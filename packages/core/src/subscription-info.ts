/**
 * What `bus.subscriptions()` tells of one active subscription: its name and pattern, and which
 * options it was made with (whether, not what: a filter is a function, and the list is for
 * looking at, not for re-subscribing).
 *
 * @example
 * ```ts
 * for (const { name, pattern, filter } of bus.subscriptions()) {
 *   logger.info(`${name} listens to ${pattern}${filter ? ' (filtered)' : ''}`);
 * }
 * ```
 */
export interface SubscriptionInfo {
  /** The subscription's name: its `name` option, or its pattern. */
  readonly name: string;
  /** The pattern it was made with. */
  readonly pattern: string;
  /** True if it has a `filter`. */
  readonly filter: boolean;
  /** True if it has an `orderingKey`. */
  readonly orderingKey: boolean;
  /** True if it was given a `signal` that ends it. */
  readonly signal: boolean;
  /** How many middleware of its own it has (the bus's middleware is not counted). */
  readonly middleware: number;
}
