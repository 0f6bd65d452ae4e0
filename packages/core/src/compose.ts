import type { Handler, Middleware } from './handler.js';

/** Wraps a handler in middleware, the first outermost. */
export function compose(middleware: readonly Middleware[], handler: Handler): Handler {
  let composed = handler;
  for (let i = middleware.length - 1; i >= 0; i--) {
    composed = (middleware[i] as Middleware)(composed);
  }
  return composed;
}
