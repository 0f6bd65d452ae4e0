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
  #checked(type: string, data: unknown, options: SyncOptions | undefined): Promise<HandlerError[]> {
    const core = this.#core;
    if (core.life.closed) throw new BusClosedError(nameOf(type));
    checkPublishOptions(options, SYNC_CHECKS);
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
    if (!entry.filtered) return this.#start(entry, entry.targets, event, options);
    // A filter that throws is one of the failures, before those of the handlers.
    const thrown: Thrown[] = [];
    const targets = core.select(entry, event, thrown);
    core.accepted(entry, event, true);
    const failures = core.filterFailures(entry, event, thrown, false);
    const errors = this.#start(entry, targets, event, options, false);
    return failures.length === 0 ? errors : errors.then((rest) => failures.concat(rest));
  }

  #start(
    entry: TypeEntry,
    targets: readonly Subscription[],
    event: AnyEvent,
    options: SyncOptions | undefined,
    count = true,
  ): Promise<HandlerError[]> {
    if (count) this.#core.accepted(entry, event, true);
    const run = new SyncRun(targets, event, entry.counters, this.#hooks);
    this.#last = run;
    addSlotted(this.#core.syncRuns, run);
    return run.start(options);
  }
}
