import type { AnyEvent } from './event.js';

/**
 * An event waiting in the bus's buffer, as a scheduler sees it.
 *
 * @example
 * ```ts
 * const byPriority = (a: ScheduledEvent, b: ScheduledEvent) => b.priority - a.priority;
 * ```
 */
export interface ScheduledEvent {
  /** The event. */
  readonly event: AnyEvent;
  /** Its priority as a number (high 10, normal 5, low 1, or the number given at publish). */
  readonly priority: number;
  /** A number that grows with each queued event: the order of arrival. */
  readonly sequence: number;
}

/**
 * The bus's buffer: decides which queued event is dispatched next. The default is first in,
 * first out; `@gossip/priority` provides one that honours priorities. The bus bounds its size
 * (`bufferSize`) and applies the overflow policy; a scheduler only orders.
 *
 * @typeParam TItem - what is queued (the bus queues its own records extending ScheduledEvent)
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, scheduler: myScheduler });
 * ```
 */
export interface Scheduler<TItem extends ScheduledEvent = ScheduledEvent> {
  /** How many items are queued. */
  readonly size: number;
  /** Adds an item. */
  push(item: TItem): void;
  /** Removes and returns the item to dispatch next, or undefined if empty. */
  shift(): TItem | undefined;
  /** Removes and returns the item the `drop-oldest` policy should drop, or undefined if empty. */
  dropOldest(): TItem | undefined;
  /** Removes and returns every queued item, in dispatch order (used at the shutdown deadline). */
  clear(): TItem[];
}

/**
 * Makes the bus's scheduler. The bus calls it once, so one factory can serve several buses.
 *
 * @example
 * ```ts
 * const fifo: SchedulerFactory = () => createFifoScheduler();
 * ```
 */
export type SchedulerFactory = <TItem extends ScheduledEvent>() => Scheduler<TItem>;

/**
 * The default scheduler: first in, first out, at constant cost. Priorities are ignored.
 *
 * @returns an empty FIFO scheduler
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, scheduler: fifoScheduler });
 * ```
 */
export const fifoScheduler: SchedulerFactory = <TItem extends ScheduledEvent>() =>
  new FifoQueue<TItem>();

/**
 * An array used as a queue: shift is O(1) amortised (the array is compacted when half of it is
 * spent), and an emptied queue starts again at index 0 of the same array, so that each burst
 * of events does not grow a new one.
 */
class FifoQueue<TItem extends ScheduledEvent> implements Scheduler<TItem> {
  #items: Array<TItem | undefined> = [];
  #head = 0;
  /** A plain field rather than a getter: read on every publish. */
  size = 0;

  push(item: TItem): void {
    this.#items[this.#head + this.size++] = item;
  }

  shift(): TItem | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (--this.size === 0) {
      this.#head = 0;
      // Keep the array for the next burst, unless an unusual one left it large.
      if (this.#items.length > 4096) this.#items = [];
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) this.#compact();
    return item;
  }

  dropOldest(): TItem | undefined {
    return this.shift();
  }

  clear(): TItem[] {
    const rest = this.#compact() as TItem[];
    this.#items = [];
    this.size = 0;
    return rest;
  }

  /** Moves the queued items to the start of a new array, and returns it. */
  #compact(): Array<TItem | undefined> {
    this.#items = this.#items.slice(this.#head, this.#head + this.size);
    this.#head = 0;
    return this.#items;
  }
}
