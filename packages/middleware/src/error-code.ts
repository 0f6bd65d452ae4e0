/**
 * The stable codes of the errors this package adds, beside core's `ErrorCode`.
 *
 * @example
 * ```ts
 * if (error instanceof GossipError && error.code === MiddlewareErrorCode.CircuitOpen) later();
 * ```
 */
export const MiddlewareErrorCode = {
  CircuitOpen: 'CIRCUIT_OPEN',
  DeadLetterFailed: 'DEAD_LETTER_FAILED',
  RetryIfFailed: 'RETRY_IF_FAILED',
} as const;

/**
 * One of the values of {@link MiddlewareErrorCode}.
 *
 * @example
 * ```ts
 * const code: MiddlewareErrorCode = 'CIRCUIT_OPEN';
 * ```
 */
export type MiddlewareErrorCode = (typeof MiddlewareErrorCode)[keyof typeof MiddlewareErrorCode];
