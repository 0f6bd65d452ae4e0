import type { ScenarioResult } from '../results.js';
import { spread } from '../stats.js';
import {
  measureTypeScaling,
  type TypeScalingResult,
  type TypeScalingRow,
} from '../type-scaling/measure-type-scaling.js';
import type { ScenarioContext } from './scenario.js';

/** The sizes `pnpm bench` checks, and how many runs at each (the median is kept). */
export function typeScalingPlan(quick: boolean): {
  sizes: number[];
  runs: (events: number) => number;
  wildcards: number;
  concurrency: number;
} {
  // Quick mode proves the apps compile: two compilers at once, times not worth reading.
  if (quick) return { sizes: [30], runs: () => 1, wildcards: 10, concurrency: 2 };
  // Three runs at the size the target names; one at the smaller sizes, which show the curve.
  return {
    sizes: [100, 500, 1000],
    runs: (events) => (events >= 1000 ? 3 : 1),
    wildcards: 100,
    concurrency: 1,
  };
}

function row(app: TypeScalingRow, floor: TypeScalingRow | undefined) {
  return {
    library: app.app,
    median: app.checkMs,
    spread: app.spread,
    ratio: floor === undefined || floor.checkMs === 0 ? null : app.checkMs / floor.checkMs,
    rounds: app.checkMsRuns,
    details: {
      instantiations: app.instantiations,
      types: app.types,
      memoryKb: app.memoryKb,
      totalMs: app.totalMs,
    },
  };
}

/** Turns the type-scaling measurement into result tables, one per pair and size. */
export function typeScalingTables(result: TypeScalingResult): ScenarioResult[] {
  const tables: ScenarioResult[] = [];
  const sizes = [...new Set(result.rows.map((r) => r.events))];
  for (const events of sizes) {
    const at = (app: string) => result.rows.find((r) => r.events === events && r.app === app);
    for (const [app, floor, label] of [
      ['gossip-map', 'mitt-floor', 'hand-written event map'],
      ['gossip-zod', 'zod-floor', 'zod schemas'],
    ] as const) {
      const a = at(app);
      const f = at(floor);
      if (a === undefined || f === undefined) continue;
      tables.push({
        id: `type-check-${app === 'gossip-map' ? 'map' : 'zod'}-n${String(events)}`,
        title: `Type-check time, ${String(events)} events, ${label}`,
        unit: 'ms',
        reference: floor,
        rows: [row(f, f), row(a, f)],
        notes: [
          `tsc --noEmit --extendedDiagnostics, Check time; median of ${String(result.runs[events] ?? 1)} run(s) (spread of the runs: ${(100 * spread(a.checkMsRuns)).toFixed(0)} %).`,
        ],
      });
    }
  }
  return tables;
}

/** Scenario 7: the type-check scaling of the core issue (bench/src/type-scaling). */
export async function runTypeCheck(
  context: ScenarioContext,
): Promise<{ result: TypeScalingResult; tables: ScenarioResult[] }> {
  const plan = typeScalingPlan(context.quick);
  const result = await measureTypeScaling({ ...plan, log: context.log });
  return { result, tables: typeScalingTables(result) };
}
