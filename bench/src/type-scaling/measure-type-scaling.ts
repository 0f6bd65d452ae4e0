import { join } from 'node:path';
import { buildIfStale } from '../fresh-build.js';
import { rootDir } from '../paths.js';
import { median, spread } from '../stats.js';
import { APP_KINDS, type AppKind, generateApps } from './generate-apps.js';
import { runTsc, type TscResult } from './run-tsc.js';

/** The figures of one app at one size: medians over the runs, and each run's check time. */
export interface TypeScalingRow {
  readonly events: number;
  readonly app: AppKind;
  /** Median check time, milliseconds. */
  readonly checkMs: number;
  /** Each run's check time, milliseconds. */
  readonly checkMsRuns: readonly number[];
  /** (max - min) / median of the check times. */
  readonly spread: number;
  readonly totalMs: number;
  readonly instantiations: number;
  readonly types: number;
  readonly memoryKb: number;
}

/** A gossip app against its floor at one size. */
export interface TypeScalingRatio {
  readonly events: number;
  readonly app: 'gossip-map' | 'gossip-zod';
  readonly floor: 'mitt-floor' | 'zod-floor';
  /** gossip check time / floor check time (medians). */
  readonly checkRatio: number;
  readonly instantiationRatio: number;
  /** The target: at most twice the floor's check time. */
  readonly hit: boolean;
}

/** The whole measurement. */
export interface TypeScalingResult {
  /** Wildcard subscriptions per gossip app, by size (a small map admits fewer distinct patterns). */
  readonly wildcards: Readonly<Record<number, number>>;
  readonly runs: Readonly<Record<number, number>>;
  readonly rows: readonly TypeScalingRow[];
  readonly ratios: readonly TypeScalingRatio[];
}

/** Options of {@link measureTypeScaling}. */
export interface TypeScalingOptions {
  /** The app sizes, in events. */
  readonly sizes: readonly number[];
  /** How many runs of each app at a size; the median is kept. A function of the size, or one number. */
  readonly runs: number | ((events: number) => number);
  /** Wildcard subscriptions per gossip app. @default 100 */
  readonly wildcards?: number;
  /** Where progress goes. */
  readonly log?: (line: string) => void;
  /**
   * How many compilers run at once. Above 1 the times disturb each other: for a quick check
   * that the apps compile, not for a measurement.
   * @default 1
   */
  readonly concurrency?: number;
}

/** Runs the tasks, at most `limit` at a time, and returns their results in order. */
async function inParallel<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task !== undefined) results[index] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  return results;
}

/** The most a gossip app may take, as a multiple of its floor's check time. */
export const TYPE_CHECK_TARGET = 2;

const PAIRS = [
  ['gossip-map', 'mitt-floor'],
  ['gossip-zod', 'zod-floor'],
] as const;

/**
 * Generates the apps of each size and type-checks each with `tsc --extendedDiagnostics`, the
 * runs interleaved (every app once, then every app again) so that a slow spell on the machine
 * falls on all of them alike. Fails on the first compiler error.
 *
 * @param options - sizes, runs per size, wildcard count, a logger
 * @returns medians per app and size, and the ratios of each gossip app to its floor
 */
export async function measureTypeScaling(options: TypeScalingOptions): Promise<TypeScalingResult> {
  const log = options.log ?? (() => {});
  const rows: TypeScalingRow[] = [];
  const ratios: TypeScalingRatio[] = [];
  const runsBySize: Record<number, number> = {};
  const wildcardsBySize: Record<number, number> = {};
  const core = join(rootDir, 'packages', 'core');
  if (!buildIfStale('@gossip/core', core, log)) {
    throw new Error(
      'type-scaling: building @gossip/core failed; run `pnpm build` and look at its output',
    );
  }
  for (const events of options.sizes) {
    const runs = typeof options.runs === 'number' ? options.runs : options.runs(events);
    runsBySize[events] = runs;
    const apps = generateApps({ events, wildcards: options.wildcards ?? 100 });
    wildcardsBySize[events] = apps.wildcards;
    const results = new Map<AppKind, TscResult[]>(APP_KINDS.map((kind) => [kind, []]));
    for (let run = 0; run < runs; run++) {
      const tasks = APP_KINDS.map((kind) => async () => {
        const result = await runTsc(apps.tsconfig[kind]);
        log(
          `type-check n=${String(events)} ${kind} run ${String(run + 1)}/${String(runs)}: ` +
            `${String(result.checkMs)} ms, ${String(result.instantiations)} instantiations`,
        );
        return result;
      });
      const done = await inParallel(tasks, options.concurrency ?? 1);
      APP_KINDS.forEach((kind, i) => {
        const result = done[i];
        if (result !== undefined) results.get(kind)?.push(result);
      });
    }
    const byKind = new Map<AppKind, TypeScalingRow>();
    for (const kind of APP_KINDS) {
      const list = results.get(kind) ?? [];
      const checks = list.map((r) => r.checkMs);
      const row: TypeScalingRow = {
        events,
        app: kind,
        checkMs: median(checks),
        checkMsRuns: checks,
        spread: spread(checks),
        totalMs: median(list.map((r) => r.totalMs)),
        instantiations: median(list.map((r) => r.instantiations)),
        types: median(list.map((r) => r.types)),
        memoryKb: median(list.map((r) => r.memoryKb)),
      };
      byKind.set(kind, row);
      rows.push(row);
    }
    for (const [app, floor] of PAIRS) {
      const a = byKind.get(app);
      const b = byKind.get(floor);
      if (a === undefined || b === undefined) continue;
      const checkRatio = a.checkMs / Math.max(b.checkMs, 1);
      ratios.push({
        events,
        app,
        floor,
        checkRatio,
        instantiationRatio: a.instantiations / Math.max(b.instantiations, 1),
        hit: checkRatio <= TYPE_CHECK_TARGET,
      });
    }
  }
  return { wildcards: wildcardsBySize, runs: runsBySize, rows, ratios };
}
