/**
 * True if `actual` matches the deep partial `expected`: the same value (`Object.is`), or, for an
 * object, every property of `expected` matched in `actual`, at every depth; arrays element by
 * element with the same length; dates by their time.
 *
 * @internal
 *
 * @example
 * ```ts
 * matches({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }); // true
 * matches([1, 2], [1]); // false: arrays keep their length
 * ```
 */
export function matches(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (typeof expected !== 'object' || expected === null) return false;
  if (typeof actual !== 'object' || actual === null) return false;
  if (expected instanceof Date) {
    return actual instanceof Date && Object.is(actual.getTime(), expected.getTime());
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => matches(actual[index], item))
    );
  }
  if (Array.isArray(actual)) return false;
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).every(
    ([key, value]) =>
      (Object.hasOwn(record, key) || value === undefined) && matches(record[key], value),
  );
}
