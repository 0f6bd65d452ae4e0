/** Does nothing: the shared callback where one is required and nothing is to be done. */
export const noop = (): void => {};

/** A settled promise, shared by every path that has nothing to wait for. */
export const RESOLVED: Promise<void> = /* @__PURE__ */ Promise.resolve();
