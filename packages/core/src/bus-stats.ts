import type { BusCore } from './bus-core.js';
import { type BusStats, copyCounters, emptyByType } from './stats.js';

/**
 * A snapshot of a bus's counters and what it holds now. `byType` is a record without a
 * prototype, so any event name (even `__proto__`) is an own key of it.
 */
export function busStats(core: BusCore): BusStats {
  const byType = emptyByType();
  for (const entry of core.router.entries()) byType[entry.type] = copyCounters(entry.counters);
  return {
    ...copyCounters(core.deliveries.totals),
    queued: core.dispatcher.queued,
    inFlight: core.deliveries.inFlight,
    blocked: core.dispatcher.blocked,
    byType,
  };
}
