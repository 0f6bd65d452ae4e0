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
 * A scheduler the user gave, guarded. The guard keeps the items it handed the scheduler (a set,
 * and their count is the size), so a failure loses nothing: the first time a method throws, or
 * returns an item it was not given, or nothing while it holds some, `failed` is called once with
 * a SchedulerError and the bus goes on with core's FIFO, holding the scheduler's items in the
 * order its `clear()` gives them, then any it did not give back (one a throwing `shift` had
 * taken, say), in arrival order. The default FIFO is never wrapped: it pays nothing.
 *
 * @internal
 * @param scheduler - the scheduler the factory made
 * @param failed - reports the failure (the bus's onError path)
 * @returns a scheduler that never throws and never loses an item
 */
export function guardScheduler<TItem extends ScheduledEvent>(
  scheduler: Scheduler<TItem>,
  failed: (error: SchedulerError) => void,
): Scheduler<TItem> {
  const held = new Set<TItem>();
  const fifo = new FifoQueue<TItem>();
  let broken = false;
  /**
   * Takes everything back from the scheduler: the items its `clear()` gives that it was given,
   * once each, then those it did not give back. What went wrong, if anything, is returned too.
   */
  const takeBack = (): [items: TItem[], problem: unknown] => {
    const count = held.size;
    const items: TItem[] = [];
    let problem: unknown;
    try {
      let given = 0;
      for (const item of scheduler.clear()) {
        given++;
        if (held.delete(item)) items.push(item);
      }
      if (given !== count || items.length !== count)
        problem = new Error('other items than it held');
    } catch (error) {
      problem = error;
    }
    items.push(...held);
    held.clear();
    return [items, problem];
  };
  /** Switches to the FIFO with everything taken back, once, and reports why. */
  const fail = (method: SchedulerMethod, cause: unknown): void => {
    // First, so that what the scheduler calls back into the bus meanwhile goes to the FIFO.
    broken = true;
    for (const item of takeBack()[0]) fifo.push(item);
    failed(new SchedulerError(method, cause));
  };
  /** `shift` or `dropOldest`: the item must be one it holds, or none when it holds none. */
  const take = (method: 'shift' | 'dropOldest'): TItem | undefined => {
    if (!broken) {
      try {
        const item = scheduler[method]();
        if (item === undefined ? held.size === 0 : held.delete(item)) return item;
        fail(method, new Error(`it returned ${describeValue(item)}`));
      } catch (cause) {
        fail(method, cause);
      }
    }
    return fifo[method]();
  };
  return {
    get size() {
      return broken ? fifo.size : held.size;
    },
    push(item) {
      if (broken) return fifo.push(item);
      held.add(item);
      try {
        scheduler.push(item);
      } catch (cause) {
        fail('push', cause);
      }
    },
    shift: () => take('shift'),
    dropOldest: () => take('dropOldest'),
    clear() {
      if (broken) return fifo.clear();
      const [items, problem] = takeBack();
      if (problem !== undefined) {
        broken = true;
        failed(new SchedulerError('clear', problem));
      }
      return items;
    },
  };
}

/** A method of a scheduler, as a SchedulerError names it. */
type SchedulerMethod = 'push' | 'shift' | 'dropOldest' | 'clear';
