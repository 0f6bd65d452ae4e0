import type { BenchCase, MeasureOptions } from '../measure.js';
import type { ScenarioResult } from '../results.js';

/** What every scenario is given. */
export interface ScenarioContext {
  /** Small counts and short times: proves the harness works, measures nothing worth keeping. */
  readonly quick: boolean;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** Rounds and times of the timed scenarios. */
  readonly measure: MeasureOptions;
}

/** A scenario of the benchmark. */
export interface Scenario {
  /** A stable id, used by `--only` and `--skip`. */
  readonly id: string;
  readonly title: string;
  /** Measures; returns one or more result tables. */
  run(context: ScenarioContext): Promise<ScenarioResult[]>;
  /**
   * The cases of one result table (by its id), for the profiler; only timed scenarios have
   * them.
   */
  cases?(resultId: string, context: ScenarioContext): BenchCase[] | undefined;
}

/** The payload every timed scenario publishes. */
export const PAYLOAD = { orderId: 'o-1', amount: 42 } as const;

/** The event type of the single-type scenarios. */
export const TYPE = 'order.payment.captured';
