/**
 * Options of `stream`.
 *
 * @example
 * ```ts
 * for await (const event of bus.stream('order.*', { bufferSize: 10, signal })) handle(event);
 * ```
 */
export interface StreamOptions {
  /** Ends the iteration (normally, `done: true`) when aborted. */
  readonly signal?: AbortSignal;
  /**
   * How many events the stream holds for a slow consumer; when full, delivery waits for room.
   * @default 100
   */
  readonly bufferSize?: number;
}
