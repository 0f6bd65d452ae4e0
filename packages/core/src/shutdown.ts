import { TimeoutError } from './errors.js';
import type { ShutdownReport, Undelivered } from './shutdown-report.js';
import type { EventCounters } from './stats.js';

/** What a shutdown needs from the bus. */
export interface ShutdownHost {
  /** True when nothing is queued, blocked or running. */
  isIdle(): boolean;
  /** Sets the function the bus calls whenever it may have become idle (undefined: none). */
  watchIdle(listener: (() => void) | undefined): void;
  /** At the deadline: aborts what runs, stops dispatch, and lists what was not delivered. */
  abandon(reason: TimeoutError): Undelivered[];
  /** The bus's lifetime counters. */
  counters(): EventCounters;
  /** Called once with the report: ends what waits on the bus and announces the report. */
  finished(report: ShutdownReport): void;
}

/**
 * Drains the bus: resolves with the report once it is idle, or at the deadline with what was
 * not delivered. The caller makes the first idle check (by calling the watched listener) once
 * it has kept the returned promise, so that a second `shutdown()` made while the first
 * finishes gets the same promise.
 */
export function drain(host: ShutdownHost, timeout: number): Promise<ShutdownReport> {
  const started = Date.now();
  return new Promise<ShutdownReport>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const finish = (undelivered: Undelivered[]) => {
      if (done) return;
      done = true;
      host.watchIdle(undefined);
      if (timer !== undefined) clearTimeout(timer);
      const report: ShutdownReport = {
        ...host.counters(),
        complete: undelivered.length === 0,
        undelivered,
        durationMs: Date.now() - started,
      };
      host.finished(report);
      resolve(report);
    };
    host.watchIdle(() => {
      if (host.isIdle()) finish([]);
    });
    if (Number.isFinite(timeout)) {
      timer = setTimeout(() => {
        // From here on only this deadline finishes shutdown, not the runs it abandons.
        host.watchIdle(undefined);
        finish(host.abandon(new TimeoutError('Shutdown', timeout)));
      }, timeout);
    }
  });
}
