import type { ScheduledEvent } from './scheduler.js';
import type { EventCounters } from './stats.js';
import type { Subscription } from './subscription.js';
import type { Tracker } from './tracker.js';

/** One accepted event and the subscriptions it goes to. */
export interface Job extends ScheduledEvent {
  readonly targets: readonly Subscription[];
  /** The index of the next target to start. */
  next: number;
  readonly tracker: Tracker | undefined;
  /** The counters of the event's type. */
  readonly counters: EventCounters;
}
