import type { AnyEvent } from './event.js';
import { Queue } from './queue.js';

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

/** The default scheduler: core's O(1) queue, whose oldest item is also the one to drop. */
class FifoQueue<TItem extends ScheduledEvent> extends Queue<TItem> implements Scheduler<TItem> {
  dropOldest(): TItem | undefined {
    return this.shift();
  }

  clear(): TItem[] {
    return this.drain();
  }
}
