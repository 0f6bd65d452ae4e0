import { expireClock } from './clock.js';
import { HandlerError, isHandlerErrorOf } from './errors.js';
import type { AnyEvent } from './event.js';
import type { HandlerContext } from './handler.js';
import { addSlotted, removeSlotted, type Slotted } from './slots.js';
import type { EventCounters } from './stats.js';
import type { Subscription } from './subscription.js';

/**
 * Who started a delivery and hears how it ended: the queued dispatcher, or a publishSync run.
 * `token` is whatever the owner passed to {@link Deliveries.deliver} (an ordering key, an
 * index), handed back untouched.
 */
export interface DeliveryOwner {
  /**
   * Called exactly once per delivery: when its handler has returned or settled (`error`
   * undefined on success; the delivery is already counted), or when the shutdown deadline
   * abandoned it (`abandoned` true, `error` the deadline's failure; not counted: the shutdown
   * report lists it as undelivered).
   */
  settled(
    sub: Subscription,
    event: AnyEvent,
    token: unknown,
    error: HandlerError | undefined,
    abandoned: boolean,
  ): void;
  /**
   * True when the owner keeps the deliveries it waits on (what {@link Deliveries.deliver}
   * returns) and hands them to {@link Deliveries.abandon} at the shutdown deadline; false when
   * the delivery path lists them itself. A publishSync run, which lives no longer than its
   * deliveries, keeps its own: a list that lasts as long as the bus costs every asynchronous
   * handler call a write of a new object into an old one, about a tenth of such a publishSync.
   */
  readonly keepsRunning: boolean;
}

/** A delivery whose handler returned a promise (or any thenable) that has not settled. */
export interface Running extends Slotted {
  readonly sub: Subscription;
  readonly event: AnyEvent;
  /** The order in which it started, for the shutdown report. */
  readonly started: number;
  /** The owner's link to the delivery it kept before this one, if it keeps them. */
  previous: Running | undefined;
}

/**
 * The one place a handler is called. It calls the subscription's handler with its context,
 * reads and awaits what it returns (reading `then` inside the guard, so a hostile return value
 * is a failure like any other), turns whatever was thrown into a {@link HandlerError}, counts
 * the outcome (the type's counters and the bus's totals), expires the cached clock, and settles
 * the delivery with its owner exactly once, whatever the handler does later.
 */
export class Deliveries {
  /** The bus's lifetime counters, counted with each type's. */
  readonly totals: EventCounters;
  /** The deliveries waiting on a handler whose owner does not keep them (slotted). */
  readonly #listed: Pending[] = [];
  #inFlight = 0;
  #started = 0;

  constructor(totals: EventCounters) {
    this.totals = totals;
  }

  /** How many deliveries wait on a promise their handler returned. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Delivers an event to one subscription. The owner's `settled` is called once: before this
   * returns when the handler returns at once or throws, later when it returns a promise.
   */
  deliver(
    owner: DeliveryOwner,
    sub: Subscription,
    event: AnyEvent,
    ctx: HandlerContext,
    counters: EventCounters,
    token: unknown,
  ): Running | undefined {
    let result: unknown;
    let then: unknown;
    try {
      result = sub.effective(event, ctx);
      if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
        then = (result as { then?: unknown }).then;
      }
    } catch (error) {
      expireClock();
      owner.settled(sub, event, token, this.failed(event, sub, counters, error), false);
      return undefined;
    }
    expireClock();
    if (typeof then !== 'function') {
      counters.delivered++;
      this.totals.delivered++;
      owner.settled(sub, event, token, undefined, false);
      return undefined;
    }
    return this.#await(owner, sub, event, counters, token, result, then as Then);
  }

  /** Waits on what a handler returned: kept apart so that `deliver`, the common case, stays small. */
  #await(
    owner: DeliveryOwner,
    sub: Subscription,
    event: AnyEvent,
    counters: EventCounters,
    token: unknown,
    result: unknown,
    then: Then,
  ): Running {
    const pending: Pending = {
      slot: KEPT,
      owner,
      sub,
      event,
      counters,
      token,
      started: ++this.#started,
      previous: undefined,
    };
    if (!owner.keepsRunning) addSlotted(this.#listed, pending);
    this.#inFlight++;
    const resolve = () => this.finish(pending, false, undefined);
    const reject = (error: unknown) => this.finish(pending, true, error);
    try {
      // A native promise's own `then` is called as a method, the form engines optimise.
      if (then === Promise.prototype.then) (result as Promise<unknown>).then(resolve, reject);
      else then.call(result, resolve, reject);
    } catch (error) {
      reject(error);
    }
    return pending;
  }

  /**
   * Ends a pending delivery once: the first of its settlement, its run being cut short (a
   * publishSync's timeout or signal) and the shutdown deadline wins.
   */
  finish(running: Running, failed: boolean, error: unknown): void {
    const pending = running as Pending;
    if (!this.#end(pending)) return;
    expireClock();
    const { owner, sub, event, counters, token } = pending;
    if (failed) {
      owner.settled(sub, event, token, this.failed(event, sub, counters, error), false);
    } else {
      counters.delivered++;
      this.totals.delivered++;
      owner.settled(sub, event, token, undefined, false);
    }
  }

  /**
   * Counts a failed delivery and returns its HandlerError: a handler that threw or rejected, or
   * one that never ran because its filter or ordering-key function threw, or its run was cut
   * short first.
   */
  failed(
    event: AnyEvent,
    sub: Subscription,
    counters: EventCounters,
    cause: unknown,
  ): HandlerError {
    counters.failed++;
    this.totals.failed++;
    return toHandlerError(event, sub.name, cause);
  }

  /** Marks a delivery ended, once: false if it had ended already. */
  #end(pending: Pending): boolean {
    if (pending.slot === ENDED) return false;
    if (pending.slot !== KEPT) removeSlotted(this.#listed, pending);
    pending.slot = ENDED;
    this.#inFlight--;
    return true;
  }

  /**
   * At the shutdown deadline: ends every delivery still waiting on its handler (those this path
   * lists, and `kept`, those their owners keep; ended ones among them are skipped), in the order
   * they started, without counting them (a handler settling later changes nothing), and tells
   * each owner. Returns them for the shutdown report.
   */
  abandon(reason: unknown, kept: readonly Running[]): Running[] {
    const running = [...this.#listed, ...(kept as readonly Pending[])]
      .filter((pending) => this.#end(pending))
      .sort((a, b) => a.started - b.started);
    for (const { owner, sub, event, token } of running) {
      owner.settled(sub, event, token, toHandlerError(event, sub.name, reason), true);
    }
    return running;
  }
}

/** The slot of a delivery its owner keeps, listed nowhere here. */
const KEPT = -2;
/** The slot of a delivery that has ended. */
const ENDED = -1;

/** A `then` read from what a handler returned. */
type Then = (...args: unknown[]) => unknown;

/** A delivery waiting on the promise its handler returned. */
interface Pending extends Running {
  readonly owner: DeliveryOwner;
  readonly counters: EventCounters;
  readonly token: unknown;
}

/**
 * The HandlerError for a value a handler (or its filter, or its ordering-key function) threw:
 * one already made for this event is kept; anything else, however hostile (a revoked Proxy, an
 * Error whose getters throw), is wrapped without being trusted.
 */
export function toHandlerError(
  event: AnyEvent,
  subscription: string,
  cause: unknown,
): HandlerError {
  return isHandlerErrorOf(cause, event) ? cause : new HandlerError(event, subscription, cause);
}
