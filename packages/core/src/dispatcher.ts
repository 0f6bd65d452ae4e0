import { expireClock } from './clock.js';
import { BufferFullError, BusClosedError, EventDroppedError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { DropReason } from './lifecycle.js';
import type { ScheduledEvent, Scheduler } from './scheduler.js';
import type { Undelivered } from './shutdown-report.js';
import { addSlotted, removeSlotted, type Slotted } from './slots.js';
import type { EventCounters } from './stats.js';
import type { Parked, Subscription, Tracker } from './subscription.js';

/** What the buffer does when it is full. */
export type OverflowPolicy = 'block' | 'reject' | 'drop-oldest' | 'drop-newest';

/** One accepted event and the subscriptions it goes to. */
export interface Job extends ScheduledEvent {
  readonly targets: readonly Subscription[];
  /** The index of the next target to start. */
  next: number;
  readonly tracker: Tracker | undefined;
  /** The counters of the event's type, counted here for handlers that return at once. */
  readonly counters: EventCounters;
}

/** What the dispatcher asks of the bus. */
export interface DispatchHooks {
  /** Calls the subscription's handler (with its context); may return a promise. */
  invoke(sub: Subscription, event: AnyEvent): unknown;
  delivered(sub: Subscription, event: AnyEvent): void;
  /** Reports a failure and returns the error to hand to a tracker. */
  failed(sub: Subscription, event: AnyEvent, error: unknown): unknown;
  dropped(event: AnyEvent, reason: DropReason): void;
  /** Called whenever the dispatcher runs out of work. */
  idle(): void;
}

interface Waiter {
  readonly job: Job;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Ready extends Parked {
  readonly sub: Subscription;
  readonly key: unknown;
}

interface Running extends Parked, Slotted {
  readonly sub: Subscription;
  /** The order in which deliveries started, kept for the shutdown report. */
  readonly started: number;
}

const RESOLVED: Promise<void> = Promise.resolve();
/** Jobs handled per turn before yielding to the host's I/O. */
const TURN = 2048;
/** Marks a delivery without an ordering key (a key function may return any value, even undefined). */
const NO_KEY: unique symbol = Symbol('no ordering key');
/** Runs a callback after pending I/O: setImmediate in Node, a zero-delay timer elsewhere. */
const yieldToHost: (callback: () => void) => void =
  typeof globalThis.setImmediate === 'function'
    ? (callback) => void globalThis.setImmediate(callback)
    : (callback) => void setTimeout(callback, 0);

/**
 * The bounded worker pool: a buffer of jobs (ordered by the scheduler), at most `workers`
 * handler calls at once, per-key ordering, overflow policies, and an account of what is left
 * at a deadline. Synchronous handlers are called in a loop without a promise per event.
 */
export class Dispatcher {
  readonly #queue: Scheduler<Job>;
  readonly #hooks: DispatchHooks;
  readonly #workers: number;
  readonly #bufferSize: number;
  readonly #overflow: OverflowPolicy;
  #current: Job | undefined;
  #ready: Ready[] = [];
  #waiting: Waiter[] = [];
  #running: Running[] = [];
  /** How many asynchronous deliveries have started: their order in `#running` is not kept. */
  #started = 0;
  /** Subscriptions that have held an ordering key, active or not, for the deadline's account. */
  readonly #keyed = new Set<Subscription>();
  #inFlight = 0;
  #parked = 0;
  #scheduled = false;
  #stopped = false;

  constructor(
    queue: Scheduler<Job>,
    hooks: DispatchHooks,
    workers: number,
    bufferSize: number,
    overflow: OverflowPolicy,
  ) {
    this.#queue = queue;
    this.#hooks = hooks;
    this.#workers = workers;
    this.#bufferSize = bufferSize;
    this.#overflow = overflow;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#queue.size + this.#parked + this.#ready.length + (this.#current ? 1 : 0);
  }

  get blocked(): number {
    return this.#waiting.length;
  }

  get idle(): boolean {
    return this.queued === 0 && this.#inFlight === 0 && this.#waiting.length === 0;
  }

  /** True while the buffer has room for another event. */
  get hasRoom(): boolean {
    return this.#queue.size + this.#parked < this.#bufferSize;
  }

  /**
   * Queues a job, applying the overflow policy when the buffer is full. `force` queues it even
   * then: for events published from inside a handler, which must not wait for room (the worker
   * waiting would be the one that makes room).
   */
  enqueue(job: Job, force: boolean, policy: OverflowPolicy = this.#overflow): Promise<void> {
    if (force || this.#queue.size + this.#parked < this.#bufferSize) {
      this.#queue.push(job);
      if (!this.#scheduled) this.#schedule();
      return RESOLVED;
    }
    switch (policy) {
      case 'reject':
        return Promise.reject(new BufferFullError(job.event.type, this.#bufferSize));
      case 'drop-newest':
        this.#drop(job, 'drop-newest');
        return RESOLVED;
      case 'drop-oldest': {
        const oldest = this.#queue.dropOldest();
        if (oldest === undefined) {
          // The buffer is full of deliveries waiting for their ordering keys: nothing older can go.
          this.#drop(job, 'drop-newest');
          return RESOLVED;
        }
        this.#drop(oldest, 'drop-oldest');
        this.#queue.push(job);
        this.#schedule();
        return RESOLVED;
      }
      case 'block':
        return new Promise<void>((resolve, reject) => {
          this.#waiting.push({ job, resolve, reject });
        });
    }
  }

  #drop(job: Job, reason: DropReason): void {
    this.#hooks.dropped(job.event, reason);
    if (job.tracker) {
      const error = new EventDroppedError(job.event, reason);
      for (let i = job.next; i < job.targets.length; i++) this.#settle(job.tracker, error);
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    // A promise reaction: a cheaper microtask than queueMicrotask in Node. #drain never throws
    // (every user callback it makes is guarded), so the promise never rejects.
    RESOLVED.then(this.#drain);
  }

  /** Moves blocked publishers into the buffer while there is room. */
  #admit(): void {
    while (this.#waiting.length > 0 && this.#queue.size + this.#parked < this.#bufferSize) {
      const waiter = this.#waiting.shift() as Waiter;
      this.#queue.push(waiter.job);
      waiter.resolve();
    }
  }

  readonly #drain = (): void => {
    this.#scheduled = false;
    let turn = TURN;
    while (!this.#stopped && this.#inFlight < this.#workers) {
      const ready = this.#ready.length > 0 ? this.#ready.shift() : undefined;
      if (ready !== undefined) {
        if (ready.sub.active) {
          this.#start(ready.sub, ready.event, ready.tracker, ready.key);
        } else {
          if (ready.tracker) this.#settle(ready.tracker, undefined);
          this.#release(ready.sub, ready.key);
        }
        continue;
      }
      let job = this.#current;
      if (job === undefined) {
        job = this.#queue.shift();
        if (job === undefined) break;
        if (this.#waiting.length > 0) this.#admit();
        this.#current = job;
      }
      const { targets, event, tracker, counters } = job;
      while (job.next < targets.length) {
        if (this.#inFlight >= this.#workers) return;
        const sub = targets[job.next++] as Subscription;
        if (!sub.active) {
          if (tracker) this.#settle(tracker, undefined);
        } else if (sub.orderingKey === undefined) {
          this.#start(sub, event, tracker, NO_KEY, counters);
        } else {
          this.#deliverKeyed(sub, sub.orderingKey, event, tracker);
        }
      }
      this.#current = undefined;
      if (--turn === 0) {
        // Let timers and I/O run between long runs of synchronous handlers.
        this.#scheduled = true;
        yieldToHost(this.#drain);
        return;
      }
    }
    if (this.idle) this.#hooks.idle();
  };

  /** Starts a delivery once its ordering key is free; parks it until then. */
  #deliverKeyed(
    sub: Subscription,
    orderingKey: (event: AnyEvent) => unknown,
    event: AnyEvent,
    tracker: Tracker | undefined,
  ): void {
    let key: unknown;
    try {
      key = orderingKey(event);
    } catch (error) {
      const reported = this.#hooks.failed(sub, event, error);
      if (tracker) this.#settle(tracker, reported);
      return;
    }
    const waiting = sub.keys.get(key);
    if (waiting !== undefined) {
      waiting.push({ event, tracker });
      this.#parked++;
      return;
    }
    sub.keys.set(key, []);
    this.#keyed.add(sub);
    this.#start(sub, event, tracker, key);
  }

  /**
   * Calls a handler. One that returns at once is counted here when the type's `counters` are
   * given (the common case, without the calls of #finish); one that returns a promise keeps
   * its worker until the promise settles.
   */
  #start(
    sub: Subscription,
    event: AnyEvent,
    tracker: Tracker | undefined,
    key: unknown,
    counters?: EventCounters,
  ): void {
    this.#inFlight++;
    let result: unknown;
    try {
      result = this.#hooks.invoke(sub, event);
    } catch (error) {
      expireClock();
      this.#inFlight--;
      this.#finish(sub, event, tracker, key, error, true);
      return;
    }
    expireClock();
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      const running: Running = { sub, event, tracker, slot: 0, started: ++this.#started };
      addSlotted(this.#running, running);
      (result as PromiseLike<unknown>).then(
        () => this.#settled(running, tracker, key, undefined, false),
        (error: unknown) => this.#settled(running, tracker, key, error, true),
      );
      return;
    }
    this.#inFlight--;
    if (counters === undefined) {
      this.#finish(sub, event, tracker, key, undefined, false);
      return;
    }
    counters.delivered++;
    if (tracker) this.#settle(tracker, undefined);
  }

  #settled(
    running: Running,
    tracker: Tracker | undefined,
    key: unknown,
    error: unknown,
    failed: boolean,
  ): void {
    if (!removeSlotted(this.#running, running)) return; // abandoned at a shutdown deadline
    this.#inFlight--;
    this.#finish(running.sub, running.event, tracker, key, error, failed);
    this.#schedule();
  }

  #finish(
    sub: Subscription,
    event: AnyEvent,
    tracker: Tracker | undefined,
    key: unknown,
    error: unknown,
    failed: boolean,
  ): void {
    if (failed) {
      const reported = this.#hooks.failed(sub, event, error);
      if (tracker) this.#settle(tracker, reported);
    } else {
      this.#hooks.delivered(sub, event);
      if (tracker) this.#settle(tracker, undefined);
    }
    if (key !== NO_KEY) this.#release(sub, key);
  }

  /** Hands an ordering key to the next event waiting for it, or frees it. */
  #release(sub: Subscription, key: unknown): void {
    const waiting = sub.keys.get(key);
    const next = waiting?.shift();
    if (next === undefined) {
      sub.keys.delete(key);
      return;
    }
    this.#parked--;
    this.#ready.push({ sub, key, event: next.event, tracker: next.tracker });
    if (this.#waiting.length > 0) this.#admit();
  }

  #settle(tracker: Tracker, error: unknown): void {
    if (error !== undefined) tracker.errors.push(error);
    if (--tracker.pending === 0) tracker.done();
  }

  /**
   * Stops dispatching and accounts for everything left: queued jobs, parked and ready
   * deliveries, handlers still running (abandoned), blocked publishers (rejected). Trackers of
   * what is left settle with `reason`.
   */
  abandon(reason: unknown): Undelivered[] {
    this.#stopped = true;
    const left: Undelivered[] = [];
    const add = (
      sub: Subscription,
      event: AnyEvent,
      tracker: Tracker | undefined,
      why: Undelivered['reason'],
    ) => {
      if (tracker) this.#settle(tracker, reason);
      if (sub.active) left.push({ event, subscription: sub.name, reason: why });
    };
    const running = this.#running.sort((a, b) => a.started - b.started);
    for (const { sub, event, tracker } of running) add(sub, event, tracker, 'in-flight');
    this.#running = [];
    this.#inFlight = 0;
    const jobs = this.#current ? [this.#current, ...this.#queue.clear()] : this.#queue.clear();
    this.#current = undefined;
    for (const job of jobs) {
      for (let i = job.next; i < job.targets.length; i++) {
        add(job.targets[i] as Subscription, job.event, job.tracker, 'queued');
      }
    }
    for (const { sub, event, tracker } of this.#ready) add(sub, event, tracker, 'queued');
    this.#ready = [];
    for (const sub of this.#keyed) {
      for (const parked of sub.keys.values()) {
        for (const { event, tracker } of parked) add(sub, event, tracker, 'queued');
      }
      sub.keys.clear();
    }
    this.#parked = 0;
    for (const { job, reject } of this.#waiting) {
      for (const sub of job.targets) add(sub, job.event, job.tracker, 'queued');
      reject(new BusClosedError(job.event.type));
    }
    this.#waiting = [];
    return left;
  }
}
