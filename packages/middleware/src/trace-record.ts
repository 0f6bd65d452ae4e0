import type { DropReason, Metadata } from '@gossip/core';
import type { ErrorDescription } from './describe-error.js';

/**
 * The fields of every record about one event: its type and id, its causation (the default),
 * and, when asked for with `fields`, its metadata and payload.
 *
 * @example
 * ```ts
 * const fields: TracedEvent = { eventType: 'order.paid', eventId: 'e1', causationId: 'e0' };
 * ```
 */
export interface TracedEvent {
  /** The event's type. */
  readonly eventType: string;
  /** The event's id. */
  readonly eventId: string;
  /** The id of the event whose handler published this one (field `causation`). */
  readonly causationId?: string;
  /** The id of the first event of the chain (field `causation`). */
  readonly correlationId?: string;
  /** How deep in its chain the event is, 1 for an event caused by a first one (field `causation`). */
  readonly causationDepth?: number;
  /** The event's metadata (field `metadata`). */
  readonly metadata?: Metadata;
  /** The event's payload (field `data`). */
  readonly data?: unknown;
}

/**
 * A handler call starting: written by {@link withTrace} before the handler runs.
 *
 * @example
 * ```ts
 * // debug({ kind: 'handler.start', eventType: 'order.paid', eventId: 'e1', subscription: 'billing', attempt: 1 }, 'handler started')
 * ```
 */
export interface HandlerStartRecord extends TracedEvent {
  /** What the record is about. */
  readonly kind: 'handler.start';
  /** The subscription whose handler is called. */
  readonly subscription: string;
  /** Which try this is, from 1 (raised by `withRetry` outside the trace). */
  readonly attempt: number;
}

/**
 * A handler call finished: written by {@link withTrace} with its outcome and duration.
 *
 * @example
 * ```ts
 * // debug({ kind: 'handler.end', ..., outcome: 'failed', durationMs: 3.2, error: { name: 'Error', message: 'card declined' } }, 'handler failed')
 * ```
 */
export interface HandlerEndRecord extends TracedEvent {
  /** What the record is about. */
  readonly kind: 'handler.end';
  /** The subscription whose handler was called. */
  readonly subscription: string;
  /** Which try this was, from 1. */
  readonly attempt: number;
  /** Whether the handler succeeded or threw (or rejected). */
  readonly outcome: 'ok' | 'failed';
  /** How long the call took, in milliseconds, to a tenth. */
  readonly durationMs: number;
  /** What it failed with, as plain data (`code` for a GossipError); only when it failed. */
  readonly error?: ErrorDescription;
}

/**
 * An event published locally and accepted by the bus: written by {@link traceBus}.
 *
 * @example
 * ```ts
 * // debug({ kind: 'publish', eventType: 'order.shipped', eventId: 'e2', causationId: 'e1', correlationId: 'e1', causationDepth: 1 }, 'event published')
 * ```
 */
export interface PublishRecord extends TracedEvent {
  /** What the record is about. */
  readonly kind: 'publish';
}

/**
 * An event dropped by the bus's overflow policy: written by {@link traceBus}.
 *
 * @example
 * ```ts
 * // debug({ kind: 'drop', eventType: 'price.ticked', eventId: 'e7', reason: 'drop-oldest' }, 'event dropped')
 * ```
 */
export interface DropRecord extends TracedEvent {
  /** What the record is about. */
  readonly kind: 'drop';
  /** The overflow policy that dropped it. */
  readonly reason: DropReason;
}

/**
 * A failure the bus reported (a handler's, a loop stopped, `bus.report()`): written by
 * {@link traceBus}, with the event and subscription for a handler's failure.
 *
 * @example
 * ```ts
 * // error({ kind: 'error', error: { name: 'HandlerError', code: 'HANDLER_FAILED', message: '...' }, eventType: 'order.paid', eventId: 'e1', subscription: 'billing' }, 'bus reported an error')
 * ```
 */
export interface ErrorRecord {
  /** What the record is about. */
  readonly kind: 'error';
  /** The failure, as plain data. */
  readonly error: ErrorDescription;
  /** The failed event's type, for a handler's failure. */
  readonly eventType?: string;
  /** The failed event's id, for a handler's failure. */
  readonly eventId?: string;
  /** The subscription that failed, for a handler's failure. */
  readonly subscription?: string;
}

/**
 * The bus's shutdown report, in counts: written by {@link traceBus} when shutdown finishes.
 *
 * @example
 * ```ts
 * // debug({ kind: 'shutdown', complete: true, durationMs: 4, published: 9, delivered: 14, failed: 0, dropped: 0, undelivered: 0 }, 'bus shut down')
 * ```
 */
export interface ShutdownRecord {
  /** What the record is about. */
  readonly kind: 'shutdown';
  /** True if everything queued was handled before the deadline. */
  readonly complete: boolean;
  /** How long shutdown took, in milliseconds. */
  readonly durationMs: number;
  /** Events published over the bus's life. */
  readonly published: number;
  /** Deliveries that succeeded. */
  readonly delivered: number;
  /** Deliveries that failed. */
  readonly failed: number;
  /** Events dropped by the overflow policy. */
  readonly dropped: number;
  /** Deliveries not made by the deadline. */
  readonly undelivered: number;
}

/**
 * Any record of the trace, discriminated by `kind`.
 *
 * @example
 * ```ts
 * const line = (record: TraceRecord) =>
 *   record.kind === 'handler.end' ? `${record.eventType} ${record.outcome}` : record.kind;
 * ```
 */
export type TraceRecord =
  | HandlerStartRecord
  | HandlerEndRecord
  | PublishRecord
  | DropRecord
  | ErrorRecord
  | ShutdownRecord;
