import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { toRows } from './measure.js';
import { benchDir } from './paths.js';
import type { ResultRow, ScenarioResult } from './results.js';

/**
 * Merges the results of one scenario run in several processes: for each table, each library's
 * rounds from every process, then the median over all of them (and the ratios from those
 * medians). A process can settle into a slower state for its whole life (V8 deciding, from one
 * garbage collection, to allocate an object literal's objects straight into the old
 * generation), so one process is one sample of that choice, as JMH's forks are.
 *
 * @param forks - each process's tables, in the same order
 * @returns the merged tables
 */
export function mergeForks(forks: ReadonlyArray<readonly ScenarioResult[]>): ScenarioResult[] {
  const [first, ...rest] = forks;
  if (first === undefined) return [];
  return first.map((table) => {
    const others = rest.map((fork) => fork.find((t) => t.id === table.id));
    const perRound = new Map<string, number[]>();
    for (const row of table.rows) {
      const rounds = [row.rounds, ...others.map((t) => roundsOf(t, row.library))].flat();
      perRound.set(row.library, rounds);
    }
    const merged = new Map(toRows(perRound, table.reference).map((row) => [row.library, row]));
    const rows = table.rows.map((row): ResultRow => {
      const fresh = merged.get(row.library);
      return fresh === undefined ? row : { ...row, ...fresh };
    });
    return { ...table, rows };
  });
}

function roundsOf(table: ScenarioResult | undefined, library: string): readonly number[] {
  return table?.rows.find((row) => row.library === library)?.rounds ?? [];
}

/**
 * Runs a timed scenario once in a child process of the harness found in `dir`.
 *
 * @param id - the scenario id (`queued`, `awaited`, ...)
 * @param dir - the bench folder of the checkout to run (this one by default)
 * @returns the process's tables
 * @throws Error with the child's output when it fails
 */
export function runScenarioProcess(id: string, dir: string = benchDir): ScenarioResult[] {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', join(dir, 'scripts', 'run.mjs'), 'scenario-main', id],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('[')) {
    throw new Error(`${id}: the process in ${dir} failed:\n${child.stderr}`);
  }
  return JSON.parse(line) as ScenarioResult[];
}

/**
 * Runs a timed scenario in `count` child processes, one after another, and merges their
 * tables with {@link mergeForks}.
 *
 * @param id - the scenario id (`queued`, `awaited`, ...)
 * @param count - how many processes
 * @param log - progress lines
 * @returns the merged tables
 * @throws Error with the child's output when a process fails
 */
export function runForked(
  id: string,
  count: number,
  log: (line: string) => void,
): ScenarioResult[] {
  const forks: ScenarioResult[][] = [];
  for (let fork = 1; fork <= count; fork++) {
    log(`${id}: process ${String(fork)}/${String(count)}`);
    forks.push(runScenarioProcess(id));
  }
  return mergeForks(forks);
}
