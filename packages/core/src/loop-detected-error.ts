import { ErrorCode } from './error-code.js';
import type { AnyEvent } from './event.js';
import { GossipError } from './gossip-error.js';

/**
 * A chain of events caused by handlers grew past `maxCausationDepth`; the last was not published.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, maxCausationDepth: 8 });
 * ```
 */
export class LoopDetectedError extends GossipError {
  /** The event type that was refused. */
  readonly eventType: string;
  /** The event whose handler tried to publish it. */
  readonly causedBy: AnyEvent;

  /**
   * @param eventType - the event type that was refused
   * @param cause - the event whose handler tried to publish it
   * @param maxDepth - the configured bound
   */
  constructor(eventType: string, cause: AnyEvent, maxDepth: number) {
    super(
      ErrorCode.LoopDetected,
      `Refused to publish "${eventType}" from a handler of "${cause.type}": the chain of caused events is deeper than ${maxDepth}, which looks like a loop. Break the cycle, or raise maxCausationDepth if the chain is meant to be this long.`,
      { cause },
    );
    this.eventType = eventType;
    this.causedBy = cause;
  }
}
