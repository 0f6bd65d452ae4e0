import type { BusCore, Thrown } from './bus-core.js';
import { checkPublishOptions, SYNC_CHECKS } from './bus-options.js';
import { nameOf } from './describe.js';
import { BusClosedError, type HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import { isPromiseLike } from './is-promise-like.js';
import { parsePayload } from './parse-payload.js';
import { type SyncHooks, type SyncOptions, SyncRun } from './publish-sync.js';
import type { TypeEntry } from './router.js';
import { addSlotted, removeSlotted } from './slots.js';
import type { Subscription } from './subscription.js';

/**
 * `publishSync`: checks and validates, makes the event, and runs its handlers now as one
 * {@link SyncRun}, tracked among the runs in progress until it settles (for `stats()`, the
 * shutdown's wait and its deadline).
 */
export class SyncPublisher {
  readonly #core: BusCore;
  readonly #hooks: SyncHooks;
  /**
   * The last run, kept so that one object of its shape outlives a garbage collection: V8 drops
   * the hidden class of objects of which none is alive, and with it the optimized code that
   * relied on it (a deoptimization for "weak objects"), so the calls after a full GC would run
   * slowly until optimized again.
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written to be kept alive, never read
  #last: SyncRun | undefined;

  constructor(core: BusCore) {
    this.#core = core;
    this.#hooks = {
      deliveries: core.deliveries,
      cause: (event) => core.publisher.causedBy(event),
      shutdownSignal: core.signal,
      done: (run) => {
        removeSlotted(core.syncRuns, run);
        core.maybeIdle();
      },
    };
  }

  publishSync(
    type: string,
    data: unknown,
    options: SyncOptions | undefined,
  ): Promise<HandlerError[]> {
    try {
      return options === undefined &&
        this.#core.settings.registry === undefined &&
        !this.#core.life.closed
        ? this.#run(type, data, undefined)
        : this.#checked(type, data, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** publishSync with options, a registry or a closed bus: checks first, then runs. */
  #checked(type: string, data: unknown, given: SyncOptions | undefined): Promise<HandlerError[]> {
    const core = this.#core;
    if (core.life.closed) throw new BusClosedError(nameOf(type));
    // Read once, then used as read; a getter among them may have closed the bus.
    const options = checkPublishOptions(given, SYNC_CHECKS);
    if (core.life.closed) throw new BusClosedError(nameOf(type));
    const registry = core.settings.registry;
    const value = registry === undefined ? data : parsePayload(registry, type, data, 'publishSync');
    return isPromiseLike(value)
      ? Promise.resolve(value).then((settled) => this.#checkedRun(type, settled, options))
      : this.#checkedRun(type, value, options);
  }

  #checkedRun(
    type: string,
    data: unknown,
    options: SyncOptions | undefined,
  ): Promise<HandlerError[]> {
    // Checked again: an asynchronous schema may settle after shutdown or an abort.
    if (this.#core.life.closed) throw new BusClosedError(type);
    options?.signal?.throwIfAborted();
    return this.#run(type, data, options);
  }

  #run(type: string, data: unknown, options: SyncOptions | undefined): Promise<HandlerError[]> {
    const core = this.#core;
    const event = core.event(type, data, options, 'publishSync');
    const entry = core.router.entry(type, 'publishSync');
    if (!entry.filtered && !core.lifecycle.observed) {
      core.counted(entry);
      return this.#runOf(entry, entry.targets, event).start(options);
    }
    // Filters and observers are user code: the bus counts the publish as under way until its
    // run is among the runs in progress, so that a shutdown started from that code waits for it.
    return core.whilePublishing(() => {
      const thrown: Thrown[] = [];
      const targets = entry.filtered ? core.select(entry, event, thrown) : entry.targets;
      core.counted(entry);
      const run = this.#runOf(entry, targets, event);
      core.observe(event);
      // A filter that throws is one of the failures, before those of the handlers.
      const failures =
        thrown.length === 0 ? undefined : core.filterFailures(entry, event, thrown, false);
      const errors = run.start(options);
      return failures === undefined ? errors : errors.then((rest) => failures.concat(rest));
    });
  }

  /** The run of an event, among the runs in progress; its handlers start with `start`. */
  #runOf(entry: TypeEntry, targets: readonly Subscription[], event: AnyEvent): SyncRun {
    const run = new SyncRun(targets, event, entry.counters, this.#hooks);
    this.#last = run;
    addSlotted(this.#core.syncRuns, run);
    return run;
  }
}
