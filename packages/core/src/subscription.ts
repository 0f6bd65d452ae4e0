import { assertEventType } from './assert.js';
import { compose } from './compose.js';
import type { AnyEvent } from './event.js';
import type { Filter, Handler, Middleware, SubscribeOptions } from './handler.js';
import { compilePattern, isWildcard } from './pattern-matcher.js';
import { type EventCounters, emptyCounters } from './stats.js';

/** A parked delivery: an event waiting for its ordering key to be free. */
export interface Parked {
  readonly event: AnyEvent;
  readonly tracker: Tracker | undefined;
}

/** Collects the outcome of every delivery of one event (used by receive and publishSync). */
export interface Tracker {
  pending: number;
  readonly errors: unknown[];
  readonly done: () => void;
}

/** One subscription, as the bus keeps it. */
export class Subscription {
  readonly pattern: string;
  readonly name: string;
  readonly matches: (type: string) => boolean;
  readonly handler: Handler;
  readonly filter: Filter | undefined;
  readonly orderingKey: ((event: AnyEvent) => string | number) | undefined;
  readonly middleware: readonly Middleware[];
  /** The handler wrapped in the subscription's own middleware, made once. */
  readonly inner: Handler;
  /** `inner` wrapped in the bus's middleware; remade when `bus.use()` adds some. */
  effective: Handler;
  active = true;
  /** Ordering keys in use, each with the events waiting for it. */
  readonly keys = new Map<unknown, Parked[]>();

  constructor(pattern: string, handler: Handler, options: SubscribeOptions) {
    this.pattern = pattern;
    this.name = options.name ?? pattern;
    this.matches = compilePattern(pattern);
    this.handler = handler;
    this.inner = compose(options.middleware ?? [], handler);
    this.effective = this.inner;
    this.filter = options.filter;
    this.orderingKey = options.orderingKey;
    this.middleware = options.middleware ?? [];
  }
}

/** What the bus knows of one event type: its subscriptions (in subscription order) and counters. */
export interface TypeEntry {
  readonly type: string;
  /** Never mutated: replaced on subscribe and unsubscribe, so queued events keep their snapshot. */
  targets: Subscription[];
  /** True if a target has a filter, so publish must build a filtered list. */
  filtered: boolean;
  readonly counters: EventCounters;
}

/**
 * Finds the subscriptions of an event type without scanning every subscription on every
 * publish: the list is computed once per type and kept up to date on subscribe and unsubscribe.
 */
export class Router {
  /** Every subscription, in subscription order (a Set keeps insertion order). */
  readonly #subscriptions = new Set<Subscription>();
  readonly #entries = new Map<string, TypeEntry>();

  /** The entry of a type, made on first use. */
  entry(type: string): TypeEntry {
    let entry = this.#entries.get(type);
    if (entry === undefined) {
      assertEventType('type', type);
      const targets: Subscription[] = [];
      for (const sub of this.#subscriptions) if (sub.matches(type)) targets.push(sub);
      entry = { type, targets, filtered: hasFilter(targets), counters: emptyCounters() };
      this.#entries.set(type, entry);
    }
    return entry;
  }

  add(sub: Subscription): void {
    this.#subscriptions.add(sub);
    for (const entry of this.#affected(sub)) {
      if (!sub.matches(entry.type)) continue;
      entry.targets = [...entry.targets, sub];
      entry.filtered ||= sub.filter !== undefined;
    }
  }

  remove(sub: Subscription): void {
    this.#subscriptions.delete(sub);
    for (const entry of this.#affected(sub)) {
      if (!entry.targets.includes(sub)) continue;
      entry.targets = entry.targets.filter((s) => s !== sub);
      entry.filtered = hasFilter(entry.targets);
    }
  }

  /** The entries a subscription may concern: one for an exact name, all for a wildcard. */
  #affected(sub: Subscription): Iterable<TypeEntry> {
    if (isWildcard(sub.pattern)) return this.#entries.values();
    const entry = this.#entries.get(sub.pattern);
    return entry === undefined ? [] : [entry];
  }

  subscriptions(): readonly Subscription[] {
    return [...this.#subscriptions];
  }

  entries(): IterableIterator<TypeEntry> {
    return this.#entries.values();
  }
}

function hasFilter(targets: Subscription[]): boolean {
  return targets.some((sub) => sub.filter !== undefined);
}
