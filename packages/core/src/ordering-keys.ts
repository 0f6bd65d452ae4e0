import type { AnyEvent } from './event.js';
import type { Parked, Ticket } from './parked.js';
import { Queue } from './queue.js';
import type { Subscription } from './subscription.js';
import type { Tracker } from './tracker.js';

/**
 * Per-key order for the dispatcher: a subscription's deliveries with the same ordering key run
 * one after another, in publish order. The first delivery of a key takes it; later ones are
 * parked behind it in the subscription's queue for that key; when a delivery ends, the next one
 * of its key becomes ready. Ready deliveries are started before new jobs.
 */
export class OrderingKeys {
  /** Deliveries whose key has just come free, to start first. */
  readonly ready = new Queue<Parked>();
  /** Deliveries waiting for their key: they count against the buffer. */
  parked = 0;
  /** Subscriptions that have held a key, for the deadline's account. */
  readonly #keyed = new Set<Subscription>();

  /**
   * Takes `key` for a delivery: true if it was free (start the delivery now), false if the
   * delivery was parked behind the one holding it.
   */
  take(sub: Subscription, event: AnyEvent, ticket: Ticket): boolean {
    const waiting = sub.keys.get(ticket.key);
    if (waiting !== undefined) {
      waiting.push({ sub, event, ticket });
      this.parked++;
      return false;
    }
    sub.keys.set(ticket.key, new Queue());
    this.#keyed.add(sub);
    return true;
  }

  /** Hands `key` to the next delivery waiting for it (made ready: true), or frees it. */
  release(sub: Subscription, key: unknown): boolean {
    const waiting = sub.keys.get(key);
    const next = waiting?.shift();
    if (next === undefined) {
      sub.keys.delete(key);
      return false;
    }
    this.parked--;
    this.ready.push(next);
    return true;
  }

  /** Empties every queue at the shutdown deadline, calling `left` for each delivery in it. */
  abandon(left: (sub: Subscription, event: AnyEvent, tracker: Tracker | undefined) => void): void {
    for (const { sub, event, ticket } of this.ready.drain()) left(sub, event, ticket.tracker);
    for (const sub of this.#keyed) {
      for (const parked of sub.keys.values()) {
        for (const { event, ticket } of parked.drain()) left(sub, event, ticket.tracker);
      }
      sub.keys.clear();
    }
    this.parked = 0;
  }
}
