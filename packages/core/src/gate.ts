/**
 * The promise a run of blocked publishers shares: it resolves once every one of its jobs has
 * entered the buffer. A publisher that awaits its publish before the next is alone in its gate;
 * a loop of unawaited publishes fills gates of up to GATE_SIZE, so a million blocked publishes
 * cost a million jobs in a queue and about a thousand promises, not a million of each.
 */
export interface Gate {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** The type of its first event, to name in the error if shutdown's deadline refuses it. */
  readonly type: string;
  /** How many of its jobs still wait for room. */
  waiting: number;
  /** True once one of its jobs has entered the buffer: it takes no new ones then. */
  started: boolean;
}

/** The most blocked publishers one gate holds. */
export const GATE_SIZE = 1024;
