import { describeValue } from './describe.js';
import { SchedulerError } from './errors.js';
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
  /** How many items are queued (the bus counts them itself for a scheduler of yours). */
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

/**
 * A scheduler the user gave, guarded: the first time one of its methods throws, or `shift` or
 * `dropOldest` returns something other than an item (or nothing while it holds some), `failed`
 * is called once with a SchedulerError, and the bus goes on with core's FIFO holding the items
 * the scheduler's `clear()` gives back, once each. The guard counts the items it hands the
 * scheduler (the count is the size: the scheduler's own is never asked), so what the scheduler
 * lost (an item a throwing `shift` had taken out, or all of them if `clear()` throws too) is
 * counted in the error's `lost`. Tracking each item instead would cost a custom scheduler about
 * 40 % more per event. The default FIFO is never wrapped: it pays nothing.
 *
 * @internal
 * @param scheduler - the scheduler the factory made
 * @param failed - reports the failure (the bus's onError path)
 * @returns a scheduler that never throws
 */
export function guardScheduler<TItem extends ScheduledEvent>(
  scheduler: Scheduler<TItem>,
  failed: (error: SchedulerError) => void,
): Scheduler<TItem> {
  let count = 0;
  const fifo = new FifoQueue<TItem>();
  let broken = false;
  /**
   * Takes back what the scheduler's `clear()` gives: the bus's items, once each.
   * Returns them, how many it lost, and what went wrong, if anything.
   */
  const takeBack = (): [items: TItem[], lost: number, problem: unknown] => {
    const items = new Set<TItem>();
    let problem: unknown;
    try {
      for (const item of scheduler.clear()) {
        if (isJob(item) && !items.has(item)) items.add(item);
        else problem = new Error('clear() gave back other items');
      }
    } catch (error) {
      problem = error;
    }
    const lost = Math.max(0, count - items.size);
    count = 0;
    return [
      [...items],
      lost,
      problem ?? (lost > 0 ? new Error(`clear() kept ${lost}`) : undefined),
    ];
  };
  /**
   * Switches to the FIFO with what it gives back, once, and reports why; `item`, that a failed
   * `push` was handed, is queued once whether the scheduler had taken it or not.
   */
  const fail = (method: SchedulerMethod, cause: unknown, item?: TItem): void => {
    // First, so that what the scheduler calls back into the bus meanwhile goes to the FIFO.
    broken = true;
    let [items, lost] = takeBack();
    if (item !== undefined && !items.includes(item)) {
      items.push(item);
      lost--;
    }
    for (const each of items) fifo.push(each);
    failed(new SchedulerError(method, Math.max(0, lost), cause));
  };
  /** `shift` or `dropOldest`: an item, or none when it holds none. */
  const take = (method: 'shift' | 'dropOldest'): TItem | undefined => {
    if (!broken) {
      try {
        const item = method === 'shift' ? scheduler.shift() : scheduler.dropOldest();
        if (item === undefined ? count === 0 : isJob(item)) {
          if (item !== undefined) count--;
          return item;
        }
        fail(method, new Error(`it returned ${describeValue(item)}`));
      } catch (cause) {
        fail(method, cause);
      }
    }
    return fifo[method]();
  };
  return {
    get size() {
      return broken ? fifo.size : count;
    },
    push(item) {
      if (broken) return fifo.push(item);
      count++;
      try {
        scheduler.push(item);
      } catch (cause) {
        fail('push', cause, item);
      }
    },
    shift: () => take('shift'),
    dropOldest: () => take('dropOldest'),
    clear() {
      if (broken) return fifo.clear();
      const [items, lost, problem] = takeBack();
      if (problem !== undefined) {
        broken = true;
        failed(new SchedulerError('clear', lost, problem));
      }
      return items;
    },
  };
}

/** A method of a scheduler, as a SchedulerError names it. */
type SchedulerMethod = 'push' | 'shift' | 'dropOldest' | 'clear';

/** Whether a scheduler gave back one of the bus's queued items (a job, with its targets). */
function isJob(item: unknown): boolean {
  return Array.isArray((item as { targets?: unknown } | undefined)?.targets);
}
