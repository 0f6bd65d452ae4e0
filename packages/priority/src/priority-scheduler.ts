import {
  assertKnownOptions,
  type ScheduledEvent,
  type Scheduler,
  type SchedulerFactory,
} from '@gossip/core';
import { agingValue } from './aging-value.js';
import { PriorityQueue } from './priority-queue.js';

/**
 * Options of {@link priorityScheduler}.
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, scheduler: priorityScheduler({ aging: 250 }) });
 * ```
 */
export interface PrioritySchedulerOptions {
  /**
   * Aging, so that low priority cannot starve: the milliseconds an event must wait to gain one
   * priority point, or `false` for strict priority. An event's rank is its priority plus its
   * time in the buffer divided by `aging`; the highest rank is dispatched first, equal ranks in
   * publish order. With the default, a low event (1) that has waited 4 seconds goes before a
   * normal event (5) published now, and after 9 seconds before a high one (10).
   * @default 1000
   */
  readonly aging?: number | false;
}

/**
 * A scheduler for the bus that honours `publish(..., { priority })`: queued events are
 * dispatched highest priority first (high 10, normal 5, low 1, or the number given), in publish
 * order within a priority, with aging so that a low-priority event waiting long enough is
 * promoted and cannot starve.
 *
 * The bus still bounds the buffer and applies its overflow policy. Under `drop-oldest` the
 * event dropped is the oldest of the least urgent priority queued, urgency being the aged rank
 * (see {@link PriorityQueue.removeLowest}); the bus queues the new event before asking, so a new
 * event less urgent than everything queued is the one dropped. Priority orders what waits in the buffer: it does not
 * stop handlers already running, and an event whose ordering key is busy (an earlier event of
 * its key has left the buffer) waits for that event whatever its priority. Events of one key
 * still in the buffer leave it by priority; publish them at one priority to keep their order.
 *
 * @param options - `aging` (default 1000 ms per priority point; `false` for strict priority)
 * @returns a factory for `createEventBus({ scheduler })`; each bus gets its own queue
 * @throws InvalidOptionError if `aging` is neither `false` nor a finite number above 0, or the
 *   options hold another key (a misspelt `aging`)
 *
 * @example
 * ```ts
 * const bus = createEventBus({ schemas, scheduler: priorityScheduler() });
 * await bus.publish('order.paid', data, { priority: 'high' }); // dispatched before queued normal and low events
 * ```
 */
export function priorityScheduler(options: PrioritySchedulerOptions = {}): SchedulerFactory {
  assertKnownOptions('priorityScheduler', options, ['aging']);
  const aging = agingValue('priorityScheduler', options.aging ?? 1000);
  return <TItem extends ScheduledEvent>(): Scheduler<TItem> => new PriorityBuffer<TItem>(aging);
}

/** The bus's buffer as a priority queue; the priority is already a number, checked by core. */
class PriorityBuffer<TItem extends ScheduledEvent> implements Scheduler<TItem> {
  readonly #queue: PriorityQueue<TItem>;

  constructor(aging: number) {
    this.#queue = new PriorityQueue<TItem>({ aging: aging === 0 ? false : aging });
  }

  get size(): number {
    return this.#queue.size;
  }

  push(item: TItem): void {
    this.#queue.enqueue(item, item.priority);
  }

  shift(): TItem | undefined {
    return this.#queue.dequeue();
  }

  dropOldest(): TItem | undefined {
    return this.#queue.removeLowest();
  }

  clear(): TItem[] {
    return this.#queue.clear();
  }
}
