/**
 * Milliseconds since `start` (a `performance.now()` reading), to a tenth: the duration the
 * logging and tracing middleware report.
 *
 * @internal
 *
 * @example
 * ```ts
 * const start = performance.now();
 * await work();
 * elapsed(start); // 12.3
 * ```
 */
export function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
