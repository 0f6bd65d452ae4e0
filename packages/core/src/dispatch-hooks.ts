import type { HandlerError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { PublishFn } from './handler.js';
import type { DropReason } from './lifecycle.js';
import type { EventCounters } from './stats.js';

/** What the dispatcher asks of the bus. */
export interface DispatchHooks {
  /** The `publish` of the contexts of an event's handlers: events it publishes have it as cause. */
  causedBy(event: AnyEvent): PublishFn;
  /** The bus's signal, which handlers' contexts carry: aborted at the shutdown deadline. */
  readonly signal: AbortSignal;
  /** Reports a failed delivery (already counted). */
  failed(error: HandlerError): void;
  /** Counts and reports a dropped event. */
  dropped(event: AnyEvent, counters: EventCounters, reason: DropReason): void;
  /** Called whenever the dispatcher runs out of work. */
  idle(): void;
}
