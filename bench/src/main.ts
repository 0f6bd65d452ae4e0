import { parseArgs } from './cli-args.js';
import { runBench, summaryLines, writeOutputs } from './run-bench.js';

// `pnpm bench [--quick] [--only=...] [--skip=...]`: runs the benchmarks, writes
// bench/results/latest.json, bench/results/chart.svg and docs/benchmarks.md.
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const args = parseArgs(process.argv.slice(2));
  const { results, sizes } = await runBench(args, log);
  for (const path of writeOutputs(results, sizes, args)) log(`wrote ${path}`);
  process.stdout.write(`${summaryLines(results).join('\n')}\n`);
  // A type-level regression fails the quick run that CI makes (see instantiation-guard.ts).
  if ((results.instantiationGuard?.failures.length ?? 0) > 0) {
    log('instantiation guard: a gossip app is over its recorded instantiation count');
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
