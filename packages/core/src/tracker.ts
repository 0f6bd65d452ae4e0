/** Collects the outcome of every delivery of one received event. */
export interface Tracker {
  pending: number;
  readonly errors: unknown[];
  readonly done: () => void;
}

/**
 * Records the outcome of one delivery a tracker waits for (`error`, undefined on success), and
 * calls `done` once the last one is in.
 *
 * @internal
 */
export function settle(tracker: Tracker, error: unknown): void {
  if (error !== undefined) tracker.errors.push(error);
  if (--tracker.pending === 0) tracker.done();
}
