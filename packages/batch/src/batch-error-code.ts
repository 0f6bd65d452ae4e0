/**
 * The stable codes of the errors `@gossip/batch` adds, beside core's `ErrorCode`.
 *
 * @example
 * ```ts
 * if (error instanceof GossipError && error.code === BatchErrorCode.BatchFailed) retry(error);
 * ```
 */
export const BatchErrorCode = {
  BatchFailed: 'BATCH_FAILED',
  BatchClosed: 'BATCH_CLOSED',
} as const;

/**
 * One of the values of {@link BatchErrorCode}.
 *
 * @example
 * ```ts
 * const code: BatchErrorCode = 'BATCH_FAILED';
 * ```
 */
export type BatchErrorCode = (typeof BatchErrorCode)[keyof typeof BatchErrorCode];
