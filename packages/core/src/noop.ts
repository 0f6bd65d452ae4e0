/** Does nothing: the shared callback where one is required and nothing is to be done. */
export const noop = (): void => {};
