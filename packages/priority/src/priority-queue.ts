import { assertKnownOptions, type Priority, priorityValue } from '@gossip/core';
import { agingValue } from './aging-value.js';
import { RingQueue } from './ring-queue.js';

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
  /**
   * The aged rank scaled by `aging` (to milliseconds) without the part every entry shares:
   * `priority * aging - enqueuedAt`. Adding `now` gives `aging` times the rank
   * `priority + (now - enqueuedAt) / aging`; that shared part does not change the order, so the
   * order of two entries never changes while they wait. In milliseconds, integer priorities and
   * times compare exactly, without rounding. Without aging it is the priority.
   */
  readonly rank: number;
  /** The order of arrival, which breaks ties between levels: the earlier first. */
  readonly order: number;
}

/** The items of one priority, first in, first out. */
interface Level<T> {
  readonly priority: number;
  readonly entries: RingQueue<Entry<T>>;
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
 * One first-in-first-out ring per distinct priority, so that no operation depends on how many
 * items are queued. Within a level, arrival order is also rank order (items of one priority age
 * at the same pace), so the next item is always the head of some level: without aging, the head
 * of the highest level, in O(1); with aging, the best of the levels' heads, in O(L), where L is
 * the number of distinct priorities queued at the time (3 with the named levels). `enqueue`
 * costs O(1), plus O(L) when it opens a level; a level that empties is closed in O(L).
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
  /** The levels holding items, by priority. */
  readonly #byPriority = new Map<number, Level<T>>();
  /** The same levels, highest priority first. */
  readonly #levels: Level<T>[] = [];
  readonly #aging: number;
  #size = 0;
  #order = 0;

  /**
   * Creates an empty queue.
   *
   * @param options - `aging`, off by default
   * @throws InvalidOptionError if `aging` is neither `false` nor a finite number above 0, or the
   *   options hold another key (a misspelt `aging`)
   *
   * @example
   * ```ts
   * const strict = new PriorityQueue<number>();
   * const fair = new PriorityQueue<number>({ aging: 500 });
   * ```
   */
  constructor(options: PriorityQueueOptions = {}) {
    assertKnownOptions('PriorityQueue', options, ['aging']);
    this.#aging = agingValue('PriorityQueue', options.aging ?? false);
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
    return this.#size;
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
    const value = priorityValue(priority, 'enqueue(priority)');
    const rank = this.#aging === 0 ? value : value * this.#aging - performance.now();
    this.#level(value).entries.push({ item, rank, order: this.#order++ });
    this.#size++;
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
    return this.#take(this.#next());
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
    return this.#next()?.entries.peek()?.item;
  }

  /**
   * Removes and returns the item to give up first when room is needed: the oldest item of the
   * least urgent priority. Without aging that is the lowest priority, so an urgent item is
   * never given up while a less urgent one waits.
   *
   * With aging, urgency is the aged rank, compared between the oldest items of each priority
   * (the ones each priority would give next, and the highest ranked in it): the one of lowest
   * rank goes, the earliest on a tie. So a low item that has aged above a fresh high one is kept
   * and the high one goes, and among items of one priority the oldest goes first, as without
   * aging. Items behind the oldest of their priority are not candidates, even when they rank
   * lower. Costs O(1) without aging, O(L) with it (L distinct priorities queued).
   *
   * @returns the item, or `undefined` if the queue is empty
   *
   * @example
   * ```ts
   * if (queue.size >= limit) discard(queue.removeLowest());
   * ```
   */
  removeLowest(): T | undefined {
    return this.#take(this.#lowest());
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
    const items: T[] = [];
    while (this.#size > 0) items.push(this.#take(this.#next()) as T);
    return items;
  }

  /** The level of a priority, opened (in its place among the others) if it holds nothing. */
  #level(priority: number): Level<T> {
    const found = this.#byPriority.get(priority);
    if (found !== undefined) return found;
    const level: Level<T> = { priority, entries: new RingQueue<Entry<T>>() };
    this.#byPriority.set(priority, level);
    const levels = this.#levels;
    let index = levels.length;
    while (index > 0 && (levels[index - 1] as Level<T>).priority < priority) index--;
    levels.splice(index, 0, level);
    return level;
  }

  /** The level whose head is dequeued next. */
  #next(): Level<T> | undefined {
    const levels = this.#levels;
    // Without aging, ranks are priorities: the highest level goes first.
    if (this.#aging === 0) return levels[0];
    let best: Level<T> | undefined;
    let bestHead: Entry<T> | undefined;
    for (const level of levels) {
      const head = level.entries.peek();
      if (head !== undefined && (bestHead === undefined || before(head, bestHead))) {
        best = level;
        bestHead = head;
      }
    }
    return best;
  }

  /**
   * The level whose head is given up first: the head of lowest rank, the earliest on a tie.
   * Only heads compete, so that within a level the oldest goes first, as `dequeue` would take
   * it: an item's elders have aged more than it, and would otherwise always be kept.
   */
  #lowest(): Level<T> | undefined {
    const levels = this.#levels;
    if (this.#aging === 0) return levels.at(-1);
    let worst: Level<T> | undefined;
    let worstHead: Entry<T> | undefined;
    for (const level of levels) {
      const head = level.entries.peek();
      if (
        head !== undefined &&
        (worstHead === undefined ||
          head.rank < worstHead.rank ||
          (head.rank === worstHead.rank && head.order < worstHead.order))
      ) {
        worst = level;
        worstHead = head;
      }
    }
    return worst;
  }

  /** Removes the head of a level, closing the level when it empties. */
  #take(level: Level<T> | undefined): T | undefined {
    const entry = level?.entries.shift();
    if (level === undefined || entry === undefined) return undefined;
    this.#size--;
    if (level.entries.size === 0) {
      this.#byPriority.delete(level.priority);
      this.#levels.splice(this.#levels.indexOf(level), 1);
    }
    return entry.item;
  }
}
