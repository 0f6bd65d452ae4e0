/**
 * The stable code of every error gossip throws or reports, one per failure.
 *
 * Codes never change between versions: match on them, not on messages.
 *
 * @example
 * ```ts
 * if (error instanceof GossipError && error.code === ErrorCode.BufferFull) retryLater();
 * ```
 */
export const ErrorCode = {
  Validation: 'VALIDATION_FAILED',
  UnknownEvent: 'UNKNOWN_EVENT',
  UnmatchedPattern: 'UNMATCHED_PATTERN',
  InvalidOption: 'INVALID_OPTION',
  AsyncSchema: 'ASYNC_SCHEMA',
  BufferFull: 'BUFFER_FULL',
  BusClosed: 'BUS_CLOSED',
  Handler: 'HANDLER_FAILED',
  Timeout: 'TIMEOUT',
  LoopDetected: 'LOOP_DETECTED',
  EventDropped: 'EVENT_DROPPED',
  Upcast: 'UPCAST_FAILED',
  Scheduler: 'SCHEDULER_FAILED',
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The code of a GossipError: one of core's {@link ErrorCode} values, or a code of a sibling
 * package's own table (such as `@gossip/batch`'s `'BATCH_FAILED'`).
 *
 * @example
 * ```ts
 * const MyCode = { Throttled: 'MY_THROTTLED' } as const;
 * class ThrottledError extends GossipError {
 *   constructor() { super(MyCode.Throttled, 'Throttled: slow down.'); }
 * }
 * ```
 */
export type GossipErrorCode = ErrorCode | (string & Record<never, never>);
