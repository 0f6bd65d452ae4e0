/**
 * Compiles a subscription pattern into a predicate over event type names. Agrees with the
 * type-level relation in `pattern.ts`: `*` matches exactly one segment, `**` (last segment only)
 * matches one or more, every other segment matches itself.
 *
 * @param pattern - an exact name, or a name with `*` segments and an optional `**` tail
 * @returns a function telling whether an event type matches the pattern
 *
 * @example
 * ```ts
 * const matches = compilePattern('order.*');
 * matches('order.paid'); // true
 * matches('order.item.added'); // false
 * ```
 */
export function compilePattern(pattern: string): (type: string) => boolean {
  if (!isWildcard(pattern)) return (type) => type === pattern;
  if (pattern === '**') return (type) => type.length > 0;
  const segments = pattern.split('.');
  const tail = segments[segments.length - 1] === '**';
  const fixed = tail ? segments.slice(0, -1) : segments;
  return (type) => {
    const parts = type.split('.');
    if (tail ? parts.length <= fixed.length : parts.length !== fixed.length) return false;
    for (let i = 0; i < fixed.length; i++) {
      const segment = fixed[i];
      if (segment !== '*' && segment !== parts[i]) return false;
    }
    return true;
  };
}

/**
 * Tells whether a pattern has wildcard segments (and so may match more than one event type).
 *
 * @param pattern - a subscription pattern
 * @returns true if a segment is `*` or `**`
 *
 * @example
 * ```ts
 * isWildcard('order.*'); // true
 * isWildcard('order.paid'); // false
 * ```
 */
export function isWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/**
 * Explains what is wrong with a pattern's shape, or returns undefined if it is well formed:
 * non-empty segments, `*` and `**` only as whole segments, `**` only last.
 *
 * @param pattern - a subscription pattern
 * @returns a description of the problem, or undefined
 *
 * @example
 * ```ts
 * patternProblem('order.**.paid'); // '"**" may only be the last segment'
 * ```
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'a pattern may not be empty';
  const segments = pattern.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    if (segment.length === 0)
      return 'segments may not be empty (no leading, trailing or double dots)';
    if (segment === '**' && i !== segments.length - 1) return '"**" may only be the last segment';
    if (segment.includes('*') && segment !== '*' && segment !== '**')
      return '"*" and "**" must be whole segments, as in "order.*"';
  }
  return undefined;
}
