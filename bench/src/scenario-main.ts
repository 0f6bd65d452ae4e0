import { measureOptions, TIMED_SCENARIOS } from './run-bench.js';

// Internal: `node scripts/run.mjs scenario-main <scenario id>` runs one timed scenario in full
// mode and prints its tables as one line of JSON; `pnpm bench` starts one such process per fork.
const id = process.argv[2];
const scenario = TIMED_SCENARIOS.find((s) => s.id === id);
if (scenario === undefined) {
  process.stderr.write(`usage: scenario-main <${TIMED_SCENARIOS.map((s) => s.id).join('|')}>\n`);
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
const tables = await scenario.run({ quick: false, log, measure: measureOptions(false) });
process.stdout.write(`${JSON.stringify(tables)}\n`);
