import type { ScenarioResult } from './results.js';
import { median, pairedRatio } from './stats.js';

/** One checkout's result for one table and library: its ratio to the table's reference. */
export interface ComparedRatio {
  readonly table: string;
  readonly library: string;
  /** The median over processes of each process's per-round ratio to the reference. */
  readonly ratio: number;
  /** Each process's ratio, in the order the processes ran. */
  readonly perProcess: readonly number[];
}

/**
 * Summarises a side-by-side run: for each checkout, each table and each library but the
 * reference, the median over processes of the per-round ratio to that table's reference
 * (measured in the same process, so a slow process slows both).
 *
 * @param runs - each checkout's tables, one list of tables per process
 * @returns per checkout, the ratios, in table and row order
 * @example
 * ```ts
 * const ratios = compareRuns(new Map([['../main', [tables]]]));
 * ```
 */
export function compareRuns(
  runs: ReadonlyMap<string, ReadonlyArray<readonly ScenarioResult[]>>,
): Map<string, ComparedRatio[]> {
  const compared = new Map<string, ComparedRatio[]>();
  for (const [checkout, processes] of runs) {
    const byKey = new Map<string, { table: string; library: string; ratios: number[] }>();
    for (const tables of processes) {
      for (const table of tables) {
        const reference = table.rows.find((row) => row.library === table.reference);
        if (reference === undefined || reference.rounds.length === 0) continue;
        for (const row of table.rows) {
          if (row === reference || row.rounds.length === 0) continue;
          const key = `${table.id}\u0000${row.library}`;
          const entry = byKey.get(key) ?? { table: table.id, library: row.library, ratios: [] };
          entry.ratios.push(pairedRatio(row.rounds, reference.rounds));
          byKey.set(key, entry);
        }
      }
    }
    compared.set(
      checkout,
      [...byKey.values()].map(({ table, library, ratios }) => ({
        table,
        library,
        ratio: median(ratios),
        perProcess: ratios,
      })),
    );
  }
  return compared;
}
