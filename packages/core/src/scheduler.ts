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

/**
 * A scheduler the user gave, guarded: the first time one of its methods throws, `failed` is
 * called once with a SchedulerError, and the bus goes on with core's FIFO holding what the
 * scheduler's `clear()` gives back (nothing, if that throws too). An item a throwing `push` had
 * already taken is queued once. The default FIFO is never wrapped: it pays nothing.
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
  let inner = scheduler;
  /** Replaces the scheduler with a FIFO of what it gives back, and returns those items. */
  const replace = (method: string, cause: unknown): TItem[] => {
    const fifo = new FifoQueue<TItem>();
    const held: TItem[] = [];
    let lost = 0;
    try {
      lost = scheduler.size;
      for (const item of scheduler.clear()) held.push(item);
      lost = 0;
    } catch {
      // What it held is lost: `lost` says how much.
    }
    for (const item of held) fifo.push(item);
    inner = fifo;
    failed(new SchedulerError(method, lost, cause));
    return held;
  };
  const guard = <T>(method: string, run: () => T): T => {
    if (inner !== scheduler) return run();
    try {
      return run();
    } catch (cause) {
      replace(method, cause);
      return run();
    }
  };
  return {
    get size() {
      return guard('size', () => inner.size);
    },
    push(item) {
      if (inner !== scheduler) return inner.push(item);
      try {
        scheduler.push(item);
      } catch (cause) {
        if (!replace('push', cause).includes(item)) inner.push(item);
      }
    },
    shift: () => guard('shift', () => inner.shift()),
    dropOldest: () => guard('dropOldest', () => inner.dropOldest()),
    clear: () => guard('clear', () => inner.clear()),
  };
}
