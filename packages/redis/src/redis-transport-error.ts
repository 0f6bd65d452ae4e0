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

/**
 * @internal Words any thrown value, without a final period (the messages that quote it add
 * their own); never throws.
 */
export function describeCause(cause: unknown): string {
  try {
    const text = cause instanceof Error ? String(cause.message) : String(cause);
    return text.replace(/\.+$/, '');
  } catch {
    return 'a value that cannot be read';
  }
}
