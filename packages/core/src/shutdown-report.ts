import type { AnyEvent } from './event.js';
import type { EventCounters } from './stats.js';

/**
 * An event one subscription did not handle, and why: it was still `queued` at the shutdown
 * deadline, or its handler was `in-flight` and was aborted through `ctx.signal`.
 *
 * @example
 * ```ts
 * for (const { event, subscription, reason } of report.undelivered) {
 *   await outbox.save(event, subscription, reason);
 * }
 * ```
 */
export interface Undelivered {
  /** The event. */
  readonly event: AnyEvent;
  /** The subscription that did not handle it. */
  readonly subscription: string;
  /** `queued`: never started; `in-flight`: started, aborted at the deadline. */
  readonly reason: 'queued' | 'in-flight';
}

/**
 * What shutdown did: the bus's lifetime counters and the events left undelivered at the
 * deadline. With no deadline reached, `undelivered` is empty and every event was handled
 * (delivered or failed).
 *
 * @example
 * ```ts
 * const report = await bus.shutdown({ timeout: 5000 });
 * if (!report.complete) logger.warn(`${report.undelivered.length} deliveries lost`);
 * ```
 */
export interface ShutdownReport extends EventCounters {
  /** True if everything queued was handled before the deadline. */
  readonly complete: boolean;
  /** Deliveries not made, each with its event and subscription. */
  readonly undelivered: ReadonlyArray<Undelivered>;
  /** How long shutdown took, in milliseconds. */
  readonly durationMs: number;
}
