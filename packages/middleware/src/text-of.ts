/**
 * The text of any thrown value, for a message; never throws. An Error gives its message, a
 * string itself, anything else `String(value)`. A hostile value (a revoked Proxy, an Error whose
 * `message` getter throws, an object whose `toString` throws) gives a placeholder instead, so
 * describing a failure can never replace it with a failure of its own.
 *
 * @internal
 *
 * @example
 * ```ts
 * textOf(new Error('boom')); // 'boom'
 * textOf(Proxy.revocable({}, {}).proxy); // after revoke(): 'a value that cannot be read'
 * ```
 */
export function textOf(value: unknown): string {
  try {
    if (value instanceof Error) return String(value.message);
    return typeof value === 'string' ? value : String(value);
  } catch {
    return UNREADABLE;
  }
}

/** What {@link textOf} gives for a value that cannot be read. @internal */
export const UNREADABLE = 'a value that cannot be read';
