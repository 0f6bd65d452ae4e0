import { InvalidOptionError, type Priority, priorityValue } from '@gossip/core';
import { agingValue } from './aging-value.js';

/**
 * Options of a {@link PriorityQueue}.
 *
 * @example
 * ```ts
 * const queue = new PriorityQueue<string>({ aging: 1000 });
 * ```
 */
export interface PriorityQueueOptions {
  /**
   * Aging, so that a low priority cannot starve: the milliseconds of waiting worth one priority
   * point, or `false` for strict priority. An item's rank is its priority plus the time it has
   * waited divided by `aging`; the highest rank is dequeued first, and equal ranks in the order
   * they were enqueued. With `aging: 1000`, a low item (1) that has waited 4 seconds ranks with
   * a normal item (5) enqueued now, and after 9 seconds with a high one (10).
   * @default false (strict priority: a queue you drive yourself has no clock in its order)
   */
  readonly aging?: number | false;
}

interface Entry<T> {
  readonly item: T;
  /** The priority as a number, kept for `removeLowest`. */
  readonly priority: number;
  /**
   * The aged rank scaled by `aging` (to milliseconds) without the part every entry shares:
   * `priority * aging - enqueuedAt`. Adding `now` gives `aging` times the rank
   * `priority + (now - enqueuedAt) / aging`; that shared part does not change the order, so the
   * order of two entries never changes while they wait and a heap can keep them. In
   * milliseconds, integer priorities and times compare exactly, without rounding.
   * Without aging it is the priority.
   */
  readonly rank: number;
  /** The order of arrival, which breaks ties: first in, first out within a level. */
  readonly order: number;
}

/** True if `a` is dequeued before `b`: higher rank first, then first in, first out. */
function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.rank > b.rank || (a.rank === b.rank && a.order < b.order);
}

/**
 * A priority queue: the highest priority first, and first in, first out among items of the same
 * priority. Priorities are the levels `'high'` (10), `'normal'` (5) and `'low'` (1), or any
 * finite number for finer control (higher first). With `aging`, items gain rank while they wait,
 * so a low priority cannot starve.
 *
 * A binary heap ordered by (rank, arrival): `enqueue` and `dequeue` cost O(log n), `peek` and
 * `size` O(1). Ties are broken by arrival, so the order is exact, not merely a heap's partial one.
 *
 * @typeParam T - what the queue holds
 *
 * @example
 * ```ts
 * const queue = new PriorityQueue<string>();
 * queue.enqueue('report', 'low');
 * queue.enqueue('payment', 'high');
 * queue.enqueue('email');
 * queue.dequeue(); // 'payment'
 * queue.dequeue(); // 'email'
 * queue.dequeue(); // 'report'
 * ```
 */
export class PriorityQueue<T> {
  readonly #heap: Entry<T>[] = [];
  readonly #aging: number;
  #order = 0;

  /**
   * Creates an empty queue.
   *
   * @param options - `aging`, off by default
   * @throws InvalidOptionError if `aging` is neither `false` nor a finite number above 0
   *
   * @example
   * ```ts
   * const strict = new PriorityQueue<number>();
   * const fair = new PriorityQueue<number>({ aging: 500 });
   * ```
   */
  constructor(options: PriorityQueueOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidOptionError('options', 'an object', options);
    }
    this.#aging = agingValue(options.aging ?? false);
  }

  /**
   * How many items are queued.
   *
   * @example
   * ```ts
   * if (queue.size > 1000) logger.warn('queue is growing');
   * ```
   */
  get size(): number {
    return this.#heap.length;
  }

  /**
   * Adds an item with a priority.
   *
   * @param item - the item
   * @param priority - `'high'`, `'normal'`, `'low'` or a finite number (higher first);
   *   `'normal'` when omitted
   * @throws InvalidOptionError for an unknown level name or a number that is not finite
   *
   * @example
   * ```ts
   * queue.enqueue('payment', 'high');
   * queue.enqueue('audit', 100);
   * ```
   */
  enqueue(item: T, priority: Priority = 'normal'): void {
    const value = priorityValue(priority);
    const rank = this.#aging === 0 ? value : value * this.#aging - performance.now();
    this.#heap.push({ item, priority: value, rank, order: this.#order++ });
    this.#up(this.#heap.length - 1);
  }

  /**
   * Removes and returns the item of highest rank (the earliest of them on a tie).
   *
   * @returns the item, or `undefined` if the queue is empty
   *
   * @example
   * ```ts
   * for (let item = queue.dequeue(); item !== undefined; item = queue.dequeue()) handle(item);
   * ```
   */
  dequeue(): T | undefined {
    return this.#removeAt(0)?.item;
  }

  /**
   * Returns the item `dequeue` would return, without removing it.
   *
   * @returns the next item, or `undefined` if the queue is empty
   *
   * @example
   * ```ts
   * const next = queue.peek();
   * ```
   */
  peek(): T | undefined {
    return this.#heap[0]?.item;
  }

  /**
   * Removes and returns the item to give up first when room is needed: the oldest item of the
   * lowest priority (aging aside), so an urgent item is never dropped while a less urgent one
   * waits. Costs O(n); meant for overflow, not for every operation.
   *
   * @returns the item, or `undefined` if the queue is empty
   *
   * @example
   * ```ts
   * if (queue.size >= limit) discard(queue.removeLowest());
   * ```
   */
  removeLowest(): T | undefined {
    const heap = this.#heap;
    let lowest = -1;
    let candidate: Entry<T> | undefined;
    for (let i = 0; i < heap.length; i++) {
      const entry = heap[i] as Entry<T>;
      if (
        candidate === undefined ||
        entry.priority < candidate.priority ||
        (entry.priority === candidate.priority && entry.order < candidate.order)
      ) {
        candidate = entry;
        lowest = i;
      }
    }
    return lowest === -1 ? undefined : this.#removeAt(lowest)?.item;
  }

  /**
   * Removes every item and returns them in the order `dequeue` would have.
   *
   * @returns the items, in dequeue order
   *
   * @example
   * ```ts
   * const left = queue.clear();
   * ```
   */
  clear(): T[] {
    const entries = this.#heap.splice(0);
    entries.sort((a, b) => (before(a, b) ? -1 : 1));
    return entries.map((entry) => entry.item);
  }

  #removeAt(index: number): Entry<T> | undefined {
    const heap = this.#heap;
    const removed = heap[index];
    if (removed === undefined) return undefined;
    const last = heap.pop();
    if (last !== undefined && index < heap.length) {
      heap[index] = last;
      this.#down(index);
      this.#up(index);
    }
    return removed;
  }

  #up(index: number): void {
    const heap = this.#heap;
    const entry = heap[index];
    if (entry === undefined) return;
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as Entry<T>;
      if (!before(entry, parent)) break;
      heap[i] = parent;
      i = parentIndex;
    }
    heap[i] = entry;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const entry = heap[index];
    if (entry === undefined) return;
    const length = heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let best = heap[left] as Entry<T>;
      const other = heap[right];
      if (other !== undefined && before(other, best)) {
        child = right;
        best = other;
      }
      if (!before(best, entry)) break;
      heap[i] = best;
      i = child;
    }
    heap[i] = entry;
  }
}
