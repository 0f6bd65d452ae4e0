import type { JobOfParts } from './blocked-line.js';
import type { BusCore, Thrown } from './bus-core.js';
import { checkPublishOptions, NO_METADATA, priorityValue, publishMetadata } from './bus-options.js';
import { causedMetadata } from './causation.js';
import { now } from './clock.js';
import { nameOf } from './describe.js';
import { BufferFullError, BusClosedError, LoopDetectedError } from './errors.js';
import type { AnyEvent, Metadata } from './event.js';
import type { PublishFn, PublishOptions } from './handler.js';
import { isPromiseLike } from './is-promise-like.js';
import type { Job } from './job.js';
import { noop, RESOLVED } from './noop.js';
import { parsePayload } from './parse-payload.js';
import type { TypeEntry } from './router.js';
import type { Subscription } from './subscription.js';

/**
 * `publish` and `ctx.publish`: validates, makes the event, counts it, and queues one job for
 * the dispatcher with the subscriptions that take it. Events published by a handler carry its
 * event as their cause, and a chain too deep is refused as a loop.
 */
export class Publisher {
  readonly #core: BusCore;
  /** The overflow policy is `reject`: a full buffer refuses. */
  readonly #rejects: boolean;
  /** The overflow policy is `block`: a full buffer makes publishers wait. */
  readonly #blocks: boolean;
  #sequence = 0;

  constructor(core: BusCore) {
    this.#core = core;
    this.#rejects = core.settings.overflow === 'reject';
    this.#blocks = core.settings.overflow === 'block';
  }

  /**
   * Publishes from outside (`caused` false: refused once shutdown starts) or from a handler
   * (`caused` true: accepted while shutdown drains, so in-flight work can finish its chain).
   */
  publish(
    type: string,
    data: unknown,
    given: PublishOptions | undefined,
    caused: boolean,
  ): Promise<void> {
    const core = this.#core;
    if (this.#refuses(caused)) {
      const refused = Promise.reject(new BusClosedError(nameOf(type)));
      // A handler abandoned at the shutdown deadline that publishes later, without awaiting,
      // must not end the host with an unhandled rejection; awaited, it still rejects.
      if (caused) refused.catch(noop);
      return refused;
    }
    try {
      // Read once, then used as read; a getter among them may have closed the bus.
      const options = checkPublishOptions(given);
      if (options !== undefined && this.#refuses(caused)) throw new BusClosedError(nameOf(type));
      const registry = core.settings.registry;
      if (registry === undefined) return this.#queue(type, data, options, caused);
      // Validated here rather than through a callback: a closure per publish, on the path of
      // every validated event, for the rare asynchronous schema.
      const value = parsePayload(registry, type, data, 'publish');
      if (isPromiseLike(value)) {
        return Promise.resolve(value).then((settled) =>
          this.#validated(type, settled, options, caused),
        );
      }
      // Checked again (in #validated for an asynchronous schema): the schema may have closed the bus.
      if (this.#refuses(caused)) throw new BusClosedError(type);
      return this.#queue(type, value, options, caused);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Queues a validated event, unless shutdown started meanwhile (a schema may have run long). */
  #validated(
    type: string,
    data: unknown,
    options: PublishOptions | undefined,
    caused: boolean,
  ): Promise<void> {
    return this.#refuses(caused)
      ? Promise.reject(new BusClosedError(type))
      : this.#queue(type, data, options, caused);
  }

  #refuses(caused: boolean): boolean {
    return caused ? this.#core.life.finished : this.#core.life.closed;
  }

  /** The `publish` of the contexts of an event's handlers: it publishes with the event as cause. */
  causedBy(cause: AnyEvent): PublishFn {
    return (type, data, options) => this.#publishCaused(cause, type, data, options);
  }

  #publishCaused(
    cause: AnyEvent,
    type: string,
    data: unknown,
    options?: PublishOptions,
  ): Promise<void> {
    const core = this.#core;
    let metadata: Metadata;
    let read: PublishOptions | undefined;
    try {
      // Read once: the options as read are what is published, with the causation added.
      read = checkPublishOptions(options);
      metadata = causedMetadata(
        type,
        cause,
        publishMetadata(read),
        core.settings.maxCausationDepth,
      );
    } catch (error) {
      const rejected = Promise.reject(error);
      if (error instanceof LoopDetectedError) {
        core.report(error);
        // A refused loop is already reported through onError and the lifecycle: a handler that
        // does not await ctx.publish must not turn it into an unhandled rejection as well.
        rejected.catch(noop);
      }
      return rejected;
    }
    return this.publish(
      type,
      data,
      read === undefined ? { metadata } : { ...read, metadata },
      true,
    );
  }

  /**
   * Queues an event. A plain publish (no options, from outside, under overflow `block`) that
   * finds the buffer crowded may wait as its parts instead ({@link #waitPlain}); `parts` false
   * is its way back here when it may not.
   */
  #queue(
    type: string,
    data: unknown,
    options: PublishOptions | undefined,
    caused: boolean,
    parts = true,
  ): Promise<void> {
    const core = this.#core;
    if (parts && options === undefined && this.#blocks && !caused && core.dispatcher.crowded) {
      return this.#waitPlain(type, data);
    }
    const priority = options?.priority === undefined ? 5 : priorityValue(options.priority);
    const event = core.event(type, data, options, 'publish');
    const entry = core.router.entry(type, 'publish');
    if (!entry.filtered && !core.lifecycle.observed) {
      return this.#accept(event, entry, entry.targets, priority, caused, undefined);
    }
    // Filters are user code, as are the observers and onError #accept calls: the bus counts
    // the publish as under way meanwhile (BusCore.whilePublishing), so that a shutdown started
    // from that code waits for the event.
    return core.whilePublishing(() => {
      let targets = entry.targets;
      let thrown: Thrown[] | undefined;
      if (entry.filtered) {
        thrown = [];
        targets = core.select(entry, event, thrown);
      }
      return this.#accept(event, entry, targets, priority, caused, thrown);
    });
  }

  /**
   * Counts the event and queues its job, unless a full buffer refuses it under `reject` (before
   * anything is counted: a filter that threw is not a failure of an event never accepted). Only
   * then do `publish` observers see it and onError hear of its filters that threw: what they
   * publish comes after it, and cannot take the room it was found to have. An event published
   * from a handler never waits for room (the worker it would hold is the one that makes room):
   * it may exceed bufferSize instead, or join the line of publishers waiting without waiting.
   */
  #accept(
    event: AnyEvent,
    entry: TypeEntry,
    targets: Subscription[],
    priority: number,
    caused: boolean,
    thrown: Thrown[] | undefined,
  ): Promise<void> {
    const core = this.#core;
    if (targets.length > 0 && this.#rejects && core.dispatcher.full) {
      return Promise.reject(new BufferFullError(event.type, core.settings.bufferSize));
    }
    core.counted(entry);
    const queued =
      targets.length === 0
        ? RESOLVED
        : core.dispatcher.enqueue(
            this.job(event, priority, targets, entry),
            caused && this.#blocks,
          );
    core.observe(event);
    if (thrown !== undefined && thrown.length > 0) core.filterFailures(entry, event, thrown, true);
    return queued;
  }

  /**
   * A plain publish that must wait for room, to subscriptions without a filter, with nobody
   * observing publishes, is kept as its parts: counted, stamped and given its id now, made into
   * an event when it gets room. No user code runs between the check for room and the line.
   * Any other goes the common way.
   */
  #waitPlain(type: string, data: unknown): Promise<void> {
    const core = this.#core;
    const entry = core.router.entry(type, 'publish');
    if (entry.filtered || core.lifecycle.observed || !core.dispatcher.mustWait()) {
      return this.#queue(type, data, undefined, false, false);
    }
    const metadata = core.settings.registry?.stampOf(entry.type) ?? NO_METADATA;
    core.counted(entry);
    const targets = entry.targets;
    if (targets.length === 0) return RESOLVED;
    return core.dispatcher.waiting.pushParts(entry, targets, data, metadata, now(), core.ids);
  }

  /**
   * The job of a plain publish that waited as its parts ({@link BlockedLine}), and its event,
   * made as it gets room. Its own object literals, not {@link job}'s: V8 decides per literal
   * whether to allocate its objects straight into the old generation, by how many survive a
   * collection. A burst of publishes keeps every job of `job` alive until dispatch, and these,
   * made one at a time as room comes and dispatched soon after, must not inherit that decision:
   * a million of them allocated in the old generation cost six times as much.
   */
  readonly jobOfParts: JobOfParts = (entry, targets, data, metadata, timestamp, id) => ({
    event: { id, type: entry.type, timestamp, data, metadata },
    priority: 5,
    sequence: ++this.#sequence,
    targets,
    next: 0,
    tracker: undefined,
    counters: entry.counters,
  });

  /** A job for the dispatcher; `tracker` collects the outcomes of a received event. */
  job(
    event: AnyEvent,
    priority: number,
    targets: Subscription[],
    entry: TypeEntry,
    tracker?: Job['tracker'],
  ): Job {
    const sequence = ++this.#sequence;
    return { event, priority, sequence, targets, next: 0, tracker, counters: entry.counters };
  }
}
