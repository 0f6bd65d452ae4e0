import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createEventBus } from '@gossip/core';
import { EventEmitter as EventEmitter3 } from 'eventemitter3';
import { collector } from '../collector.js';
import { Latch } from '../latch.js';
import { benchDir } from '../paths.js';
import type { ResultRow, ScenarioResult } from '../results.js';
import { median, spread } from '../stats.js';
import { PAYLOAD, type Scenario, type ScenarioContext, TYPE } from './scenario.js';

/** Builds an emitter with one synchronous handler (`tick`); returns a loop of `count` publishes. */
export type Maker = (tick: () => void) => (count: number) => void;

/** The libraries compared: eventemitter3's `emit` per event, gossip's `publish` not awaited. */
export const FIRE_AND_FORGET_LIBRARIES: Readonly<Record<'eventemitter3' | 'gossip', Maker>> = {
  eventemitter3(tick) {
    const ee = new EventEmitter3();
    ee.on(TYPE, tick);
    return (count) => {
      for (let i = 0; i < count; i++) ee.emit(TYPE, PAYLOAD);
    };
  },
  gossip(tick) {
    // Default options on purpose (bufferSize 1000, overflow 'block'): past the first thousand,
    // every publish waits for room, which is what this scenario measures at scale.
    const bus = createEventBus();
    bus.subscribe(TYPE, tick);
    return (count) => {
      for (let i = 0; i < count; i++) void bus.publish(TYPE, PAYLOAD);
    };
  },
};

/** A run stopped at its deadline: how long it had run and how many handler calls it saw. */
export interface Aborted {
  readonly afterMs: number;
  readonly handled: number;
  /** The events of the run that was stopped (a warm-up run is smaller). */
  readonly of: number;
}

/** What one process measured for one library and one count. */
export interface SeriesResult {
  /** Nanoseconds per event of each timed run. */
  readonly rounds: readonly number[];
  /** Set when a run passed its deadline; the series stopped there. */
  readonly aborted?: Aborted;
}

/** How a series runs. */
export interface SeriesPlan {
  /** Timed runs, at most. */
  readonly rounds: number;
  /** A run that takes longer is stopped and recorded as aborted. */
  readonly deadlineMs: number;
  /** No further timed run starts once the timed runs have taken this long (one always runs). */
  readonly budgetMs: number;
  /** Untimed runs first, of at most `warmupEvents` events each. */
  readonly warmupRuns: number;
  readonly warmupEvents: number;
}

const gc = collector();

/**
 * One run: `events` publishes in a loop on a fresh emitter, timed from the first publish to the
 * last handler call, or stopped at the deadline (a timer: gossip's dispatch yields to the host
 * between batches; a library that never yields is stopped by the parent's kill instead).
 */
async function timedRun(
  make: Maker,
  events: number,
  deadlineMs: number,
): Promise<{ ns: number } | { aborted: Aborted }> {
  const latch = new Latch();
  const publish = make(latch.tick);
  gc();
  const done = latch.arm(events).then(() => 'done' as const);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  const start = process.hrtime.bigint();
  publish(events);
  const first = await Promise.race([done, late]);
  const ns = Number(process.hrtime.bigint() - start);
  clearTimeout(timer);
  if (first === 'late') {
    return { aborted: { afterMs: ns / 1e6, handled: events - latch.left, of: events } };
  }
  return { ns };
}

/**
 * Warms up, then times up to `plan.rounds` runs of `events` publishes, each on a fresh emitter
 * after a full GC. Stops at the first run that passes the deadline.
 *
 * @param make - the library's emitter and publish loop
 * @param events - publishes per timed run
 * @param plan - rounds, deadline, budget and warm-up
 * @returns nanoseconds per event of each timed run, and the abort if one happened
 */
export async function fireAndForgetSeries(
  make: Maker,
  events: number,
  plan: SeriesPlan,
): Promise<SeriesResult> {
  for (let i = 0; i < plan.warmupRuns; i++) {
    const run = await timedRun(make, Math.min(events, plan.warmupEvents), plan.deadlineMs);
    if ('aborted' in run) return { rounds: [], aborted: run.aborted };
  }
  const rounds: number[] = [];
  let spentNs = 0;
  while (rounds.length < plan.rounds && (rounds.length === 0 || spentNs < plan.budgetMs * 1e6)) {
    const run = await timedRun(make, events, plan.deadlineMs);
    if ('aborted' in run) return { rounds, aborted: run.aborted };
    spentNs += run.ns;
    rounds.push(run.ns / events);
  }
  return { rounds };
}

/** The counts and limits of a full run and of `--quick`. */
export function fireAndForgetPlan(quick: boolean): {
  sizes: readonly number[];
  plan: (events: number) => SeriesPlan;
} {
  if (quick) {
    return {
      sizes: [10_000, 30_000],
      plan: () => ({
        rounds: 2,
        deadlineMs: 10_000,
        budgetMs: 5_000,
        warmupRuns: 2,
        warmupEvents: 10_000,
      }),
    };
  }
  return {
    sizes: [10_000, 100_000, 1_000_000],
    plan: (events) => ({
      rounds: events <= 10_000 ? 15 : events <= 100_000 ? 7 : 3,
      deadlineMs: 60_000,
      budgetMs: 60_000,
      warmupRuns: 5,
      warmupEvents: 10_000,
    }),
  };
}

/**
 * Runs one series in a child process (`fire-and-forget-main`), so that a run stuck in a
 * collapse can be killed, and a million events' garbage stays out of the next series.
 */
function runSeriesProcess(library: string, events: number, plan: SeriesPlan): SeriesResult {
  const args = [
    library,
    String(events),
    String(plan.rounds),
    String(plan.deadlineMs),
    String(plan.budgetMs),
    String(plan.warmupRuns),
    String(plan.warmupEvents),
  ];
  // The child stops a late run itself, from a timer; a bus whose dispatch never yields to the
  // host starves that timer, and then this kill bounds the series: the budget, one run past it
  // stopped at its deadline, and room for start-up and the (small) warm-up runs.
  const timeout = plan.budgetMs + 2 * plan.deadlineMs + 30_000;
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', join(benchDir, 'scripts', 'run.mjs'), 'fire-and-forget-main', ...args],
    { cwd: benchDir, encoding: 'utf8', timeout, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
  );
  if (child.error !== undefined && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    return { rounds: [], aborted: { afterMs: timeout, handled: Number.NaN, of: events } };
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `fire-and-forget ${library} ${String(events)}: the process failed:\n${child.stderr}`,
    );
  }
  return JSON.parse(line) as SeriesResult;
}

const count = (n: number) => n.toLocaleString('en');

/** The table row of a series; an aborted one carries a lower bound: the deadline over the events. */
export function seriesRow(
  library: string,
  events: number,
  result: SeriesResult,
  plan: SeriesPlan,
): ResultRow {
  if (result.aborted === undefined) {
    return {
      library,
      median: median(result.rounds),
      spread: spread(result.rounds),
      ratio: null,
      rounds: result.rounds,
    };
  }
  const { afterMs, handled, of } = result.aborted;
  const atLeast = (plan.deadlineMs * 1e6) / events;
  const progress = Number.isNaN(handled)
    ? 'killed, progress unknown'
    : `${count(handled)} of ${count(of)} handled`;
  return {
    library,
    median: atLeast,
    spread: 0,
    ratio: null,
    rounds: [atLeast],
    lowerBound: true,
    error: `aborted after ${(afterMs / 1000).toFixed(0)} s (${progress}): ≥ ${count(Math.round(atLeast))}`,
  };
}

/** gossip's cost per event at each count against its cost at the smallest, as a note. */
function curveNote(
  sizes: readonly number[],
  gossipAt: ReadonlyMap<number, ResultRow>,
): string | undefined {
  const [smallest, ...larger] = sizes;
  const base = smallest === undefined ? undefined : gossipAt.get(smallest);
  if (smallest === undefined || base === undefined || base.lowerBound === true) return undefined;
  const points = larger.map((events) => {
    const row = gossipAt.get(events);
    if (row === undefined) return `${count(events)}: n/a`;
    const bound = row.lowerBound === true ? '≥ ' : '';
    return `${count(events)}: ${bound}${(row.median / base.median).toFixed(2)}x`;
  });
  return `gossip per event against its cost at ${count(smallest)} events: ${points.join(', ')}.`;
}

/** The start of each table's id; the count follows (`fire-and-forget-10000`). */
export const FIRE_AND_FORGET_TABLE = 'fire-and-forget-';

/** The table id at one count. */
export const fireAndForgetId = (events: number): string =>
  `${FIRE_AND_FORGET_TABLE}${String(events)}`;

/**
 * Scenario: fire-and-forget at scale. N unawaited `publish` calls in a loop to a bus with the
 * default options and one synchronous handler, timed from the first publish to the last handler
 * call, against eventemitter3's `emit` per event, at growing N: the per-event cost must not
 * grow with N. Each library and count runs in its own process, stopped at a deadline.
 */
export const fireAndForget: Scenario = {
  id: 'fire-and-forget',
  title: 'Fire-and-forget publish at scale',
  async run(context: ScenarioContext) {
    const { sizes, plan } = fireAndForgetPlan(context.quick);
    const tables: ScenarioResult[] = [];
    const gossipAt = new Map<number, ResultRow>();
    for (const events of sizes) {
      const rows: ResultRow[] = [];
      for (const library of Object.keys(FIRE_AND_FORGET_LIBRARIES)) {
        context.log(`fire-and-forget: ${library}, ${count(events)} events`);
        rows.push(
          seriesRow(library, events, runSeriesProcess(library, events, plan(events)), plan(events)),
        );
      }
      const reference = rows[0]?.median ?? 0;
      const withRatios = rows.map((row) => ({
        ...row,
        ratio: reference > 0 && rows[0]?.lowerBound !== true ? row.median / reference : null,
      }));
      const gossip = withRatios.find((row) => row.library === 'gossip');
      if (gossip !== undefined) gossipAt.set(events, gossip);
      const { deadlineMs, rounds } = plan(events);
      tables.push({
        id: fireAndForgetId(events),
        title: `Fire-and-forget publish, ${count(events)} unawaited events, 1 synchronous handler`,
        unit: 'ns/event',
        reference: 'eventemitter3',
        rows: withRatios,
        notes: [
          `gossip: \`for (...) void bus.publish(type, data)\`, default options (bufferSize 1000, overflow 'block'); eventemitter3: \`emit\` per event. Timed from the first publish to the last handler call, each run on a fresh emitter after a full GC.`,
          `Up to ${String(rounds)} runs after a warm-up, one process per library and count; a run that takes more than ${String(deadlineMs / 1000)} s is stopped and its row shows a lower bound (the deadline over the count): a miss.`,
        ],
      });
    }
    const last = tables.at(-1);
    const curve = curveNote(sizes, gossipAt);
    if (last !== undefined && curve !== undefined) {
      tables[tables.length - 1] = { ...last, notes: [...(last.notes ?? []), curve] };
    }
    return tables;
  },
};
