import { GossipError } from '@gossip/core';
import type { RedisErrorCode } from './redis-error-code.js';

/**
 * A failure of the Redis transport: a publish Redis refused or did not acknowledge in time, a
 * call after `close()`, or a background step that failed (given to `onError`). Its `code` is
 * one of {@link RedisErrorCode}; `cause` is what the Redis client threw, so that no ioredis
 * error type reaches a public signature.
 *
 * @example
 * ```ts
 * try {
 *   await transport.publish(envelope);
 * } catch (error) {
 *   if (error instanceof RedisTransportError && error.code === 'REDIS_PUBLISH_FAILED') queue(envelope);
 * }
 * ```
 */
export class RedisTransportError extends GossipError {
  declare readonly code: RedisErrorCode;

  /**
   * @param code - one of {@link RedisErrorCode}
   * @param message - what happened and what to do about it
   * @param options - the underlying cause, if any
   */
  constructor(code: RedisErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** @internal Words any thrown value; never throws. */
export function describeCause(cause: unknown): string {
  try {
    if (cause instanceof Error) return String(cause.message);
    return typeof cause === 'string' ? cause : String(cause);
  } catch {
    return 'a value that cannot be read';
  }
}
