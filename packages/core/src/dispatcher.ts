import { BlockedLine, type JobOfParts } from './blocked-line.js';
import type { Deliveries, DeliveryOwner } from './deliver.js';
import type { DispatchHooks } from './dispatch-hooks.js';
import { BufferFullError, EventDroppedError, type HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { HandlerContext, PublishFn } from './handler.js';
import type { Job } from './job.js';
import type { DropReason } from './lifecycle.js';
import { noop, RESOLVED } from './noop.js';
import { OrderingKeys } from './ordering-keys.js';
import type { OverflowPolicy } from './overflow-policy.js';
import type { Parked, Ticket } from './parked.js';
import type { Scheduler } from './scheduler.js';
import type { Undelivered } from './shutdown-report.js';
import type { EventCounters } from './stats.js';
import type { Subscription } from './subscription.js';
import { settle, type Tracker } from './tracker.js';
import { yieldToHost } from './yield-to-host.js';

/** Jobs handled per turn before yielding to the host's I/O. */
const TURN = 2048;
/** Marks a delivery without an ordering key (a key function may return any value, even undefined). */
const NO_KEY: unique symbol = /* @__PURE__ */ Symbol('no ordering key');

/**
 * The bounded worker pool: a buffer of jobs (ordered by the scheduler), at most `workers`
 * handler calls at once, per-key ordering, overflow policies, and an account of what is left
 * at a deadline. Handlers are called through {@link Deliveries}, the one delivery path; every
 * queue here costs the same per operation at any length.
 */
export class Dispatcher implements DeliveryOwner {
  /** The delivery path lists the deliveries the dispatcher waits on: it lives as long as the bus. */
  readonly keepsRunning = false;
  readonly #queue: Scheduler<Job>;
  readonly #deliveries: Deliveries;
  readonly #hooks: DispatchHooks;
  readonly #workers: number;
  readonly #bufferSize: number;
  readonly #overflow: OverflowPolicy;
  #current: Job | undefined;
  readonly #keys = new OrderingKeys();
  /**
   * Publishers blocked for room, in order. A plain publish joins it as its parts
   * ({@link BlockedLine.pushParts}) once {@link mustWait} says it must.
   */
  readonly waiting: BlockedLine;
  /** Handler calls started and not settled: the workers in use. */
  #inFlight = 0;
  #scheduled = false;
  #draining = false;
  #stopped = false;

  constructor(
    queue: Scheduler<Job>,
    deliveries: Deliveries,
    hooks: DispatchHooks,
    workers: number,
    bufferSize: number,
    overflow: OverflowPolicy,
    jobOf: JobOfParts,
  ) {
    this.waiting = new BlockedLine(jobOf);
    this.#queue = queue;
    this.#deliveries = deliveries;
    this.#hooks = hooks;
    this.#workers = workers;
    this.#bufferSize = bufferSize;
    this.#overflow = overflow;
  }

  get queued(): number {
    const keys = this.#keys;
    return this.#queue.size + keys.parked + keys.ready.size + (this.#current ? 1 : 0);
  }

  get blocked(): number {
    return this.waiting.size;
  }

  get idle(): boolean {
    return this.queued === 0 && this.#inFlight === 0 && this.waiting.size === 0;
  }

  /**
   * True when a new event would not fit: the buffer is full, or the room left is owed to
   * publishers already waiting for it.
   */
  get full(): boolean {
    return this.#queue.size + this.#keys.parked + this.waiting.size >= this.#bufferSize;
  }

  /** True while the buffer has room for another event (blocked publishers may be owed it). */
  get hasRoom(): boolean {
    return this.#queue.size + this.#keys.parked < this.#bufferSize;
  }

  /**
   * Queues a job, applying the overflow policy when the buffer is full. `force` queues it even
   * then: for events published from inside a handler, which must not wait for room (the worker
   * waiting would be the one that makes room). Behind publishers already waiting, it joins
   * their line without waiting itself, so that it overtakes none of them (per-key order).
   */
  enqueue(job: Job, force: boolean, policy: OverflowPolicy = this.#overflow): Promise<void> {
    if (this.waiting.size > 0 && this.hasRoom) this.#admit();
    if (force && this.waiting.size > 0) {
      // Its publisher does not wait: the gate's promise is left to itself.
      this.waiting.push(job).catch(noop);
      return RESOLVED;
    }
    if (force || (this.waiting.size === 0 && this.hasRoom)) {
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
      case 'drop-oldest':
        return this.#dropOldest(job);
      case 'block':
        return this.waiting.push(job);
    }
  }

  /**
   * True when a new event may not fit: publishers wait, or the buffer is full. A cheap check,
   * with no side effect, before {@link mustWait}.
   */
  get crowded(): boolean {
    return this.waiting.size > 0 || !this.hasRoom;
  }

  /**
   * True when a new event cannot enter the buffer now: it is full, or publishers already wait
   * for room (who are let in first, if room has come).
   */
  mustWait(): boolean {
    if (this.waiting.size > 0 && this.hasRoom) this.#admit();
    return this.waiting.size > 0 || !this.hasRoom;
  }

  /**
   * Makes room by dropping the event the scheduler gives up first (the oldest, for FIFO; the
   * least urgent, for a priority scheduler, which may be the new event itself). A publisher
   * blocked for room (a received event) keeps its place: it takes the room, and the new event
   * waits behind it, so that no event overtakes an earlier one of the same ordering key.
   */
  #dropOldest(job: Job): Promise<void> {
    if (this.waiting.size === 0) {
      this.#queue.push(job);
      // The queue holds the new job at least (unless a failing scheduler lost it: it goes).
      const victim = this.#queue.dropOldest() ?? job;
      this.#drop(victim, victim === job ? 'drop-newest' : 'drop-oldest');
    } else {
      const oldest = this.#queue.dropOldest();
      if (oldest === undefined) {
        // The buffer is full of deliveries waiting for their ordering keys: nothing older can go.
        this.#drop(job, 'drop-newest');
        return RESOLVED;
      }
      this.#drop(oldest, 'drop-oldest');
      // Its publisher does not wait: the gate's promise is left to itself.
      this.waiting.push(job).catch(noop);
      this.#admit();
    }
    this.#schedule();
    return RESOLVED;
  }

  #drop(job: Job, reason: DropReason): void {
    this.#hooks.dropped(job.event, job.counters, reason);
    if (job.tracker) {
      const error = new EventDroppedError(job.event, reason);
      for (let i = job.next; i < job.targets.length; i++) settle(job.tracker, error);
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    // A promise reaction: a cheaper microtask than queueMicrotask in Node. #drain never throws
    // (every user callback it makes is guarded), so the promise never rejects.
    RESOLVED.then(this.#drain);
  }

  /** Moves blocked publishers' jobs into the buffer, in order, while there is room. */
  #admit(): void {
    while (this.waiting.size > 0 && this.hasRoom) this.#queue.push(this.waiting.shift() as Job);
  }

  readonly #drain = (): void => {
    this.#scheduled = false;
    this.#draining = true;
    let turn = TURN;
    while (!this.#stopped && this.#inFlight < this.#workers) {
      const { ready } = this.#keys;
      if (ready.size > 0) {
        const { sub, event, ticket } = ready.shift() as Parked;
        if (sub.active) {
          this.#start(sub, event, ticket.counters, ticket, this.#hooks.causedBy(event));
        } else {
          // Its subscription was removed before its handler started: it is not made.
          if (ticket.tracker) settle(ticket.tracker, undefined);
          this.#release(sub, ticket.key);
        }
        continue;
      }
      let job = this.#current;
      if (job === undefined) {
        job = this.#queue.shift();
        if (job === undefined) break;
        if (this.waiting.size > 0) this.#admit();
        this.#current = job;
      }
      const { targets, event, tracker, counters } = job;
      // One `publish` for every handler of the event, made at the first that needs it.
      let publish: PublishFn | undefined;
      while (job.next < targets.length) {
        if (this.#inFlight >= this.#workers) {
          this.#draining = false;
          return;
        }
        const sub = targets[job.next++] as Subscription;
        if (!sub.active) {
          if (tracker) settle(tracker, undefined);
        } else if (sub.orderingKey !== undefined) {
          this.#deliverKeyed(sub, sub.orderingKey, event, tracker, counters);
        } else {
          publish ??= this.#hooks.causedBy(event);
          this.#start(
            sub,
            event,
            counters,
            tracker === undefined ? undefined : { key: NO_KEY, tracker, counters },
            publish,
          );
        }
      }
      this.#current = undefined;
      if (--turn === 0) {
        // Let timers and I/O run between long runs of synchronous handlers.
        this.#draining = false;
        this.#scheduled = true;
        yieldToHost(this.#drain);
        return;
      }
    }
    this.#draining = false;
    if (this.idle) this.#hooks.idle();
  };

  /** Starts a delivery once its ordering key is free; parks it until then. */
  #deliverKeyed(
    sub: Subscription,
    orderingKey: (event: AnyEvent) => unknown,
    event: AnyEvent,
    tracker: Tracker | undefined,
    counters: EventCounters,
  ): void {
    let key: unknown;
    try {
      key = orderingKey(event);
    } catch (error) {
      const failure = this.#deliveries.failed(event, sub, counters, error);
      this.#hooks.failed(failure);
      if (tracker) settle(tracker, failure);
      return;
    }
    if (!sub.active) {
      // The key function ended its own subscription: the delivery is not made.
      if (tracker) settle(tracker, undefined);
      return;
    }
    const ticket: Ticket = { key, tracker, counters };
    if (this.#keys.take(sub, event, ticket)) {
      this.#start(sub, event, counters, ticket, this.#hooks.causedBy(event));
    }
  }

  #start(
    sub: Subscription,
    event: AnyEvent,
    counters: EventCounters,
    ticket: Ticket | undefined,
    publish: PublishFn,
  ): void {
    this.#inFlight++;
    const ctx: HandlerContext = {
      signal: this.#hooks.signal,
      attempt: 1,
      subscription: sub.name,
      publish,
    };
    this.#deliveries.deliver(this, sub, event, ctx, counters, ticket);
  }

  /** A delivery ended: its worker is free, its failure reported, its key handed on. */
  settled(
    sub: Subscription,
    _event: AnyEvent,
    token: unknown,
    error: HandlerError | undefined,
    abandoned: boolean,
  ): void {
    this.#inFlight--;
    if (error !== undefined && !abandoned) this.#hooks.failed(error);
    if (token !== undefined) {
      const { key, tracker } = token as Ticket;
      if (tracker) settle(tracker, error);
      if (key !== NO_KEY && !this.#stopped) this.#release(sub, key);
    }
    if (!this.#draining) this.#schedule();
  }

  /** Hands an ordering key on; a delivery that leaves the buffer may let a blocked one in. */
  #release(sub: Subscription, key: unknown): void {
    if (this.#keys.release(sub, key) && this.waiting.size > 0) this.#admit();
  }

  /**
   * Stops dispatching and accounts for what never started: queued jobs, parked and ready
   * deliveries (`queued`), and blocked publishers (rejected). Trackers of what is left settle
   * with `reason`. Deliveries already running are the one delivery path's to abandon.
   */
  abandon(reason: unknown): Undelivered[] {
    this.#stopped = true;
    const left: Undelivered[] = [];
    const add = (sub: Subscription, event: AnyEvent, tracker: Tracker | undefined) => {
      if (tracker) settle(tracker, reason);
      if (sub.active) left.push({ event, subscription: sub.name, reason: 'queued' });
    };
    const jobs = this.#current ? [this.#current, ...this.#queue.clear()] : this.#queue.clear();
    this.#current = undefined;
    for (const job of jobs) {
      for (let i = job.next; i < job.targets.length; i++) {
        add(job.targets[i] as Subscription, job.event, job.tracker);
      }
    }
    this.#keys.abandon(add);
    for (const job of this.waiting.abandon()) {
      for (const sub of job.targets) add(sub, job.event, job.tracker);
    }
    return left;
  }
}
