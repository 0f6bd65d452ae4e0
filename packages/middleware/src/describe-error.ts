import { GossipError } from '@gossip/core';
import { textOf, UNREADABLE } from './text-of.js';

/**
 * Plain data describing any thrown value: its name and message (for a non-Error value, name
 * `'NonError'` and the value as text), and its `code` when it is a GossipError. Never throws,
 * whatever getters the value has, so describing a failure cannot replace it with another.
 *
 * @internal
 *
 * @example
 * ```ts
 * describeError(new TimeoutError('handler', 50)); // { name: 'TimeoutError', message: '...', code: 'TIMEOUT' }
 * describeError('boom'); // { name: 'NonError', message: 'boom' }
 * ```
 */
export function describeError(error: unknown): ErrorDescription {
  try {
    if (error instanceof GossipError)
      return { name: String(error.name), message: String(error.message), code: error.code };
    if (error instanceof Error) return { name: String(error.name), message: String(error.message) };
  } catch {
    return { name: 'NonError', message: UNREADABLE };
  }
  return { name: 'NonError', message: typeof error === 'string' ? error : safeString(error) };
}

/**
 * A failure as plain data: its name, message and, for a GossipError, its code.
 *
 * @example
 * ```ts
 * const description: ErrorDescription = { name: 'Error', message: 'card declined' };
 * ```
 */
export interface ErrorDescription {
  /** The error's name (`'TimeoutError'`), or `'NonError'` for a thrown value that is no Error. */
  readonly name: string;
  /** The error's message, or the thrown value as text. */
  readonly message: string;
  /** The error's code, for a GossipError. */
  readonly code?: string | undefined;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return textOf(value);
  }
}
