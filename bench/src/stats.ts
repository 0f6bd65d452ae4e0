/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/**
 * How far apart repeated measurements are: (max - min) / median, so 0.1 means the runs span
 * 10 % of the median.
 */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mid = median(values);
  return mid === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / mid;
}

/**
 * The median of the ratios `a[i] / b[i]` of two libraries measured in the same rounds (each
 * round times every library once, in one process). A process that settles into a slower state
 * slows both sides of its rounds alike, so pairing them keeps that state out of the ratio,
 * where the quotient of two pooled medians can take one side from a slow process and the
 * other from a fast one. Without aligned rounds it falls back to that quotient.
 *
 * @example
 * ```ts
 * pairedRatio([120, 240, 130], [100, 200, 100]); // 1.2
 * ```
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length === b.length && a.length > 0 && b.every((value) => value > 0)) {
    return median(a.map((value, i) => value / (b[i] as number)));
  }
  return median(a) / median(b);
}
