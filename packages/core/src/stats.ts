/**
 * Counters for one event type, or for the whole bus.
 *
 * @example
 * ```ts
 * const { published, delivered } = bus.stats().byType['user.created'] ?? {};
 * ```
 */
export interface EventCounters {
  /** Events accepted by publish (or receive), after validation. */
  published: number;
  /** Handler calls that succeeded. */
  delivered: number;
  /** Handler calls that failed (threw, rejected, timed out). */
  failed: number;
  /** Events dropped by the overflow policy. */
  dropped: number;
}

/**
 * A snapshot of what the bus has done and holds now.
 *
 * @example
 * ```ts
 * const stats = bus.stats();
 * logger.info(`${stats.queued} queued, ${stats.inFlight} running, ${stats.dropped} dropped`);
 * ```
 */
export interface BusStats extends EventCounters {
  /** Events waiting in the buffer, plus deliveries waiting for their ordering key. */
  queued: number;
  /** Handler calls running now. */
  inFlight: number;
  /** Publishers waiting for room in the buffer (overflow `block`). */
  blocked: number;
  /**
   * The same counters for each event type that has been published. A record without a
   * prototype, so that any event name is an own key (`__proto__` and `constructor` included)
   * and a name never published reads `undefined`.
   */
  byType: Record<string, EventCounters>;
}

/** Creates a set of counters at zero. */
export function emptyCounters(): EventCounters {
  return { published: 0, delivered: 0, failed: 0, dropped: 0 };
}

/** Adds `counters` into `total`; returns `total`. */
export function addCounters(total: EventCounters, counters: EventCounters): EventCounters {
  total.published += counters.published;
  total.delivered += counters.delivered;
  total.failed += counters.failed;
  total.dropped += counters.dropped;
  return total;
}

/** Copies counters, so a snapshot does not change afterwards. */
export function copyCounters(counters: EventCounters): EventCounters {
  const { published, delivered, failed, dropped } = counters;
  return { published, delivered, failed, dropped };
}

/**
 * An empty record for counters keyed by event type, without a prototype: assigning a
 * `__proto__` key to a plain object would set its prototype instead of adding the key, and
 * `constructor` or `toString` would read as counters before they were ever published.
 */
export function emptyByType(): Record<string, EventCounters> {
  return Object.create(null) as Record<string, EventCounters>;
}
