import type { Middleware } from '@gossip/core';
import { assertFunction, assertHandler } from './assert.js';

/**
 * Composes middleware into one: the first is outermost, so it sees an event first and a failure
 * last. Put recovery first to catch everything the others throw. `chain()` is the identity.
 *
 * @param middleware - the middleware to compose, outermost first
 * @returns one middleware applying them all
 * @throws InvalidOptionError if one of them is not a function
 *
 * @example
 * ```ts
 * const robust = chain(withRecovery(), withRetry({ attempts: 3 }), withTimeout(5000));
 * bus.subscribe('order.paid', robust(handler));
 * // or: bus.use(robust), or subscribe(..., { middleware: [robust] })
 * ```
 */
export function chain(...middleware: Middleware[]): Middleware {
  for (const [i, m] of middleware.entries()) assertFunction(`chain(middleware[${i}])`, m);
  const list = [...middleware];
  return (next) => {
    assertHandler('chain', next);
    let handler = next;
    for (let i = list.length - 1; i >= 0; i--) handler = (list[i] as Middleware)(handler);
    return handler;
  };
}
