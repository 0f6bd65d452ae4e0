import { Bench } from 'tinybench';
import type { Latch } from './latch.js';
import type { ResultRow } from './results.js';
import { median, spread } from './stats.js';

/** A prepared case: the function to time, and the latch its handlers tick (for the watchdog). */
export interface PreparedCase {
  /** Handles `perRun` events (or operations); resolves when the last handler has run. */
  readonly run: () => Promise<unknown>;
  readonly latch?: Latch;
}

/** One library in one scenario. */
export interface BenchCase {
  readonly library: string;
  /** How many events (or operations) one call of `run` handles. */
  readonly perRun: number;
  /** Builds the emitter and its subscriptions; called once, before the first round. */
  prepare(): PreparedCase | Promise<PreparedCase>;
}

/** How long and how often to measure. */
export interface MeasureOptions {
  /** Rounds: every case is measured once per round, in a rotated order; the median is kept. */
  readonly rounds: number;
  /** Milliseconds of sampling per case per round. */
  readonly time: number;
  /** Milliseconds of warm-up per case per round. */
  readonly warmupTime: number;
  /** A round that takes longer than this fails its latches (a handler that never ran). @default 120 000 */
  readonly roundTimeoutMs?: number;
}

/**
 * Measures the cases with tinybench, round after round, and returns for each library the
 * nanoseconds per event of each round (the median of that round's samples divided by
 * `perRun`).
 *
 * @param cases - the libraries to compare
 * @param options - rounds and times
 * @returns each library's per-round nanoseconds per event
 */
export async function measureCases(
  cases: readonly BenchCase[],
  options: MeasureOptions,
): Promise<Map<string, number[]>> {
  const prepared = new Map<string, PreparedCase>();
  for (const c of cases) prepared.set(c.library, await c.prepare());
  const perRound = new Map<string, number[]>(cases.map((c) => [c.library, []]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.time,
      warmupTime: options.warmupTime,
      iterations: 5,
      warmupIterations: 2,
      throws: true,
    });
    const shift = round % cases.length;
    const order = [...cases.slice(shift), ...cases.slice(0, shift)];
    for (const c of order) {
      const p = prepared.get(c.library);
      if (p !== undefined) bench.add(c.library, p.run, { async: true });
    }
    const timer = setTimeout(() => {
      for (const [library, p] of prepared) {
        p.latch?.fail(
          new Error(
            `a batch of ${library} never finished (handlers left: ${String(p.latch.left)})`,
          ),
        );
      }
    }, options.roundTimeoutMs ?? 120_000);
    try {
      await bench.run();
    } finally {
      clearTimeout(timer);
    }
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') {
        throw new Error(`benchmark of ${task.name} ended ${result.state}`);
      }
      const c = cases.find((x) => x.library === task.name);
      perRound.get(task.name)?.push((result.latency.p50 * 1e6) / (c?.perRun ?? 1));
    }
  }
  return perRound;
}

/**
 * Turns per-round values into result rows: median, spread, and the ratio to the reference's
 * median.
 *
 * @param perRound - each library's values, one per round
 * @param reference - the library the ratios divide by
 * @returns one row per library, in the map's order
 */
export function toRows(
  perRound: ReadonlyMap<string, readonly number[]>,
  reference: string,
): ResultRow[] {
  const refValues = perRound.get(reference);
  if (refValues === undefined || refValues.length === 0) {
    throw new Error(`the reference "${reference}" was not measured`);
  }
  const refMedian = median(refValues);
  return [...perRound].map(([library, rounds]) => {
    const value = median(rounds);
    return {
      library,
      median: value,
      spread: spread(rounds),
      ratio: refMedian > 0 ? value / refMedian : null,
      rounds,
    };
  });
}
