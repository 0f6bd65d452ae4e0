import { resolve } from 'node:path';
import { compareRuns } from './compare.js';
import { runScenarioProcess } from './forks.js';
import type { ScenarioResult } from './results.js';

// `pnpm --filter @gossip/bench compare <scenario> <checkout> <checkout> ... [--processes=5]`:
// runs one timed scenario in each checkout (a worktree with its own node_modules, e.g.
// `git worktree add ../base HEAD~1 && pnpm -C ../base install`), one process at a time,
// alternating between checkouts, and prints each library's ratio to the table's reference per
// checkout. A change to the hot path moves results by less than the machine's drift between
// two full runs; alternating processes and pairing rounds is what makes it visible.
const args = process.argv.slice(2);
const [scenario, ...checkouts] = args.filter((arg) => !arg.startsWith('--'));
const processes = Number(
  args.find((arg) => arg.startsWith('--processes='))?.slice('--processes='.length) ?? 5,
);
if (scenario === undefined || checkouts.length === 0 || !(processes >= 1)) {
  process.stderr.write(
    'usage: pnpm --filter @gossip/bench compare <scenario> <checkout>... [--processes=5]\n',
  );
  process.exit(2);
}
// Paths are read from where pnpm was invoked (INIT_CWD), not from bench/.
const base = process.env.INIT_CWD ?? process.cwd();
const runs = new Map<string, ScenarioResult[][]>(checkouts.map((c) => [resolve(base, c), []]));
for (let i = 1; i <= processes; i++) {
  for (const [checkout, tables] of runs) {
    process.stderr.write(`${scenario}: ${checkout}, process ${String(i)}/${String(processes)}\n`);
    tables.push(runScenarioProcess(scenario, resolve(checkout, 'bench')));
  }
}
for (const [checkout, ratios] of compareRuns(runs)) {
  process.stdout.write(`${checkout}\n`);
  for (const { table, library, ratio, perProcess } of ratios) {
    const each = perProcess.map((r) => r.toFixed(2)).join(' ');
    process.stdout.write(`  ${table} ${library}: ${ratio.toFixed(3)}x  (${each})\n`);
  }
}
