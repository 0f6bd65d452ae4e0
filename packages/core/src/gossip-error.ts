import type { GossipErrorCode } from './error-code.js';

/**
 * The base class of every error gossip throws or reports.
 *
 * @example
 * ```ts
 * try {
 *   await bus.publish('user.created', input);
 * } catch (error) {
 *   if (error instanceof GossipError) logger.error(error.code, error.message);
 * }
 * ```
 */
export class GossipError extends Error {
  /** A stable code: one of {@link ErrorCode}, or of a sibling package's table. */
  readonly code: GossipErrorCode;

  /**
   * @param code - the stable code of the failure
   * @param message - what happened and what to do about it
   * @param options - the underlying cause, if any
   */
  constructor(code: GossipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
