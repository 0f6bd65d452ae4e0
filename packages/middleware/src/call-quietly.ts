/**
 * Calls an observer of the middleware (a logger's method, `onStateChange`, `onLateError`)
 * whose failure must change nothing and has nowhere to be reported: a throw is ignored, and so
 * is the rejection of a promise it returns (an async log sink), which would otherwise reach
 * the host as an unhandled rejection and end a Node process.
 *
 * @param call - the observer's call
 * @internal
 */
export function callQuietly(call: () => unknown): void {
  try {
    const result = call();
    if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
      const then = (result as { then?: unknown }).then;
      if (typeof then === 'function') then.call(result, undefined, ignore);
    }
  } catch {
    // Ignored: see above.
  }
}

const ignore = (): void => {};
