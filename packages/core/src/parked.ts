import type { AnyEvent } from './event.js';
import type { EventCounters } from './stats.js';
import type { Subscription } from './subscription.js';
import type { Tracker } from './tracker.js';

/** What a delivery with an ordering key or a tracker carries through its handler call. */
export interface Ticket {
  readonly key: unknown;
  readonly tracker: Tracker | undefined;
  readonly counters: EventCounters;
}

/** A delivery waiting for its ordering key, or whose key has just come free. */
export interface Parked {
  readonly sub: Subscription;
  readonly event: AnyEvent;
  readonly ticket: Ticket;
}
