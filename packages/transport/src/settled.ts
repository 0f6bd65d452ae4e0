/**
 * @internal The promise a settle action that finished at once answers with: shared, so that a
 * caller can tell a synchronous settle from one still on its way by identity, and skip a
 * reaction.
 */
export const SETTLED: Promise<void> = /* @__PURE__ */ Promise.resolve();

/**
 * @internal The result of a settle action as a promise, whether it returned one, nothing
 * ({@link SETTLED}), or threw.
 */
export function settled(run: () => void | Promise<void>): Promise<void> {
  try {
    return run() ?? SETTLED;
  } catch (error) {
    return Promise.reject(error);
  }
}
