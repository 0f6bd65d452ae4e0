/**
 * The stable codes of the errors `@gossip/redis` adds, beside core's `ErrorCode`.
 *
 * @example
 * ```ts
 * if (error instanceof GossipError && error.code === RedisErrorCode.PublishFailed) retryLater();
 * ```
 */
export const RedisErrorCode = {
  /** Redis refused an XADD, or did not answer within `publishTimeoutMs`. */
  PublishFailed: 'REDIS_PUBLISH_FAILED',
  /** The transport was closed before the call. */
  Closed: 'REDIS_CLOSED',
  /** A background step (read, claim, acknowledge, trim) failed; the transport retries it. */
  Background: 'REDIS_BACKGROUND_FAILED',
  /** A stream entry is not an envelope this package wrote; it is dead-lettered. */
  Malformed: 'REDIS_MALFORMED_ENTRY',
  /** A message was delivered `maxAttempts` times without being acknowledged. */
  MaxAttempts: 'REDIS_MAX_ATTEMPTS',
  /**
   * A group joined a stream from its start (found after the subscription started, or made
   * again after a server restart) whose older entries had been removed: it never gets them.
   */
  EntriesMissed: 'REDIS_ENTRIES_MISSED',
} as const;

/**
 * One of the values of {@link RedisErrorCode}.
 *
 * @example
 * ```ts
 * const code: RedisErrorCode = 'REDIS_PUBLISH_FAILED';
 * ```
 */
export type RedisErrorCode = (typeof RedisErrorCode)[keyof typeof RedisErrorCode];
