import { MAX_DELAY } from './assert.js';
import type { BusCore } from './bus-core.js';
import { checkOptions } from './check-options.js';
import { BusClosedError, InvalidOptionError } from './errors.js';
import { noop } from './noop.js';
import { drain, type ShutdownHost } from './shutdown.js';
import type { ShutdownReport, Undelivered } from './shutdown-report.js';
import { copyCounters } from './stats.js';

/**
 * `shutdown`: moves the bus to `draining`, waits until it is idle or the deadline passes, then
 * to `finished`. At the deadline, everything not handled is listed once: deliveries still
 * running (in the order they started; their handlers see `ctx.signal` abort), then those that
 * never started.
 */
export class BusShutdown {
  readonly #core: BusCore;
  readonly #host: ShutdownHost;
  /** The watcher of the drain under way, and how to forget it. */
  #watcher: (() => void) | undefined;
  #forget: () => void = noop;
  #report: Promise<ShutdownReport> | undefined;

  constructor(core: BusCore) {
    this.#core = core;
    this.#host = {
      isIdle: () => core.isIdle,
      watchIdle: (listener) => {
        this.#forget();
        this.#watcher = listener;
        this.#forget = listener === undefined ? noop : core.watchIdle(listener);
      },
      abandon: (reason) => {
        core.abort.abort(reason);
        const queued = core.dispatcher.abandon(
          new BusClosedError('(shutdown deadline)', 'receive'),
        );
        const undelivered: Undelivered[] = core.deliveries
          .abandon(
            reason,
            core.syncRuns.flatMap((run) => run.kept),
          )
          .map(({ event, sub }) => ({ event, subscription: sub.name, reason: 'in-flight' }));
        for (const run of [...core.syncRuns]) {
          for (const sub of run.abandon(reason)) {
            undelivered.push({ event: run.event, subscription: sub.name, reason: 'queued' });
          }
        }
        return undelivered.concat(queued);
      },
      counters: () => copyCounters(core.deliveries.totals),
      finished: (report) => {
        core.life.advance('finished');
        core.releaseIdle();
        for (const close of [...core.closers]) close();
        core.lifecycle.emit('shutdown', report);
      },
    };
  }

  shutdown(options: { timeout?: number } = {}): Promise<ShutdownReport> {
    if (this.#report !== undefined) return this.#report;
    let timeout: number;
    try {
      timeout = checkOptions('shutdown', options, { timeout: assertDeadline }).timeout ?? 30_000;
    } catch (error) {
      // Refused through the promise, as publish refuses: the bus stays open.
      return Promise.reject(error);
    }
    this.#core.life.advance('draining');
    this.#report = drain(this.#host, timeout);
    this.#watcher?.(); // the first check, now that a second shutdown() gets the same promise
    return this.#report;
  }
}

/** Checks shutdown's `timeout`: 0 to MAX_DELAY milliseconds, or Infinity for no deadline. */
function assertDeadline(name: string, timeout: unknown): void {
  if (
    typeof timeout !== 'number' ||
    !(timeout >= 0) ||
    (timeout > MAX_DELAY && timeout !== Infinity)
  ) {
    throw new InvalidOptionError(
      name,
      `a number of milliseconds from 0 to ${MAX_DELAY}, or Infinity for no deadline`,
      timeout,
    );
  }
}
