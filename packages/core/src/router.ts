import { assertEventType } from './assert.js';
import { isWildcard } from './pattern-matcher.js';
import { type EventCounters, emptyCounters } from './stats.js';
import type { Subscription } from './subscription.js';

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
 * How many entries of types without an exact subscription are kept. A bus without schemas
 * accepts any name, so the names it sees may be unbounded (an id in a name, say): past this,
 * the oldest such entry is forgotten and made again if its name comes back. Its per-type
 * counters start again then; the bus's totals are counted apart and stay exact.
 */
export const TRANSIENT_TYPES = 10_000;

/**
 * Finds the subscriptions of an event type without scanning every subscription on every
 * publish: the list is computed once per type and kept up to date on subscribe and unsubscribe.
 * Types with an exact subscription (or every type, when `keepAll` is set: a bus whose names
 * are those of its schemas) are kept for the bus's life; others in a bounded set, so neither
 * memory nor the cost of a wildcard subscribe grows with the number of names ever published.
 */
export class Router {
  /** Every subscription, in subscription order (a Set keeps insertion order). */
  readonly #subscriptions = new Set<Subscription>();
  /** How many active subscriptions each pattern has (an event name's count: its exact ones). */
  readonly #counts = new Map<string, number>();
  readonly #entries = new Map<string, TypeEntry>();
  /** Entries that may be forgotten, oldest first (a Set keeps insertion order). */
  readonly #transient = new Set<string>();
  readonly #keepAll: boolean;
  /** The last entry asked for: publishes come in runs of one type. */
  #last: TypeEntry | undefined;

  constructor(keepAll: boolean) {
    this.#keepAll = keepAll;
  }

  /** The entry of a type, made on first use. */
  entry(type: string, fn: string): TypeEntry {
    const last = this.#last;
    if (last !== undefined && last.type === type) return last;
    let entry = this.#entries.get(type);
    if (entry === undefined) entry = this.#create(type, fn);
    this.#last = entry;
    return entry;
  }

  #create(type: string, fn: string): TypeEntry {
    assertEventType(`${fn}(type)`, type);
    const targets: Subscription[] = [];
    for (const sub of this.#subscriptions) if (sub.matches(type)) targets.push(sub);
    const entry: TypeEntry = {
      type,
      targets,
      filtered: hasFilter(targets),
      counters: emptyCounters(),
    };
    this.#entries.set(type, entry);
    if (!this.#keepAll && !this.#counts.has(type)) this.#forgettable(type);
    return entry;
  }

  /** Marks an entry as one that may be forgotten, and forgets the oldest past the bound. */
  #forgettable(type: string): void {
    this.#transient.add(type);
    if (this.#transient.size <= TRANSIENT_TYPES) return;
    const oldest = this.#transient.values().next().value as string;
    this.#transient.delete(oldest);
    if (this.#last?.type === oldest) this.#last = undefined;
    this.#entries.delete(oldest);
  }

  /** Adds a subscription; returns how many its pattern has now. */
  add(sub: Subscription): number {
    const { pattern } = sub;
    const count = (this.#counts.get(pattern) ?? 0) + 1;
    this.#counts.set(pattern, count);
    this.#subscriptions.add(sub);
    if (!isWildcard(pattern)) {
      this.#transient.delete(pattern);
      const entry = this.#entries.get(pattern);
      if (entry !== undefined) addTarget(entry, sub);
      return count;
    }
    for (const entry of this.#entries.values()) if (sub.matches(entry.type)) addTarget(entry, sub);
    return count;
  }

  /** Removes a subscription; returns how many its pattern has left. */
  remove(sub: Subscription): number {
    const { pattern } = sub;
    const count = (this.#counts.get(pattern) ?? 1) - 1;
    if (count > 0) this.#counts.set(pattern, count);
    else this.#counts.delete(pattern);
    this.#subscriptions.delete(sub);
    if (!isWildcard(pattern)) {
      const entry = this.#entries.get(pattern);
      if (entry === undefined) return count;
      removeTarget(entry, sub);
      if (count === 0 && !this.#keepAll) this.#forgettable(pattern);
      return count;
    }
    for (const entry of this.#entries.values()) removeTarget(entry, sub);
    return count;
  }

  /**
   * How many subscriptions there are: all of them (no pattern); those that would receive an
   * event of that name, wildcards included (an event name); those of exactly that pattern (a
   * wildcard pattern).
   */
  count(pattern: string | undefined): number {
    if (pattern === undefined) return this.#subscriptions.size;
    if (isWildcard(pattern)) return this.#counts.get(pattern) ?? 0;
    let count = 0;
    for (const sub of this.#subscriptions) if (sub.matches(pattern)) count++;
    return count;
  }

  subscriptions(): readonly Subscription[] {
    return [...this.#subscriptions];
  }

  entries(): IterableIterator<TypeEntry> {
    return this.#entries.values();
  }
}

function addTarget(entry: TypeEntry, sub: Subscription): void {
  entry.targets = [...entry.targets, sub];
  entry.filtered ||= sub.filter !== undefined;
}

function removeTarget(entry: TypeEntry, sub: Subscription): void {
  if (!entry.targets.includes(sub)) return;
  entry.targets = entry.targets.filter((s) => s !== sub);
  entry.filtered = hasFilter(entry.targets);
}

function hasFilter(targets: Subscription[]): boolean {
  return targets.some((sub) => sub.filter !== undefined);
}
