import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * A subscription pattern matches none of the registered event types, so its handler could never run.
 *
 * @example
 * ```ts
 * bus.subscribe('ordr.*' as never, handler); // throws UnmatchedPatternError
 * ```
 */
export class UnmatchedPatternError extends GossipError {
  /** The pattern that matches nothing. */
  readonly pattern: string;

  /** @param pattern - the pattern that matches nothing */
  constructor(pattern: string) {
    super(
      ErrorCode.UnmatchedPattern,
      `Pattern "${pattern}" matches no registered event type. Check its spelling, or register the events it is meant to match.`,
    );
    this.pattern = pattern;
  }
}
