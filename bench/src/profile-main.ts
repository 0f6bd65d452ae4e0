import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './paths.js';
import { recordProfile, summariseProfile } from './profile.js';
import { measureOptions, TIMED_SCENARIOS } from './run-bench.js';

// `pnpm --filter @gossip/bench profile <table id> "<library>" [--ms=3000] [--json]`: records a
// CPU profile of one case, prints the functions with the most self time (or, with --json, the
// summary as JSON), and writes the .cpuprofile (open it in Chrome DevTools or speedscope) to
// bench/.generated/profiles/. Run under --no-turbo-inlining (the script does), so that self
// time lands in the function that spends it rather than in whichever caller V8 inlined it into.
const [resultId, library] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const ms = Number(process.argv.find((arg) => arg.startsWith('--ms='))?.slice(5) ?? 3000);
const context = { quick: false, log: () => {}, measure: measureOptions(false) };
const benchCase =
  resultId === undefined
    ? undefined
    : TIMED_SCENARIOS.map((s) => s.cases?.(resultId, context))
        .find((cases) => cases !== undefined)
        ?.find((c) => c.library === library);
if (benchCase === undefined) {
  const tables = [
    'queued-1',
    'queued-10',
    'awaited-1',
    'awaited-10',
    'validation',
    'wildcards',
    'churn',
  ];
  process.stderr.write(
    `usage: profile <table id> "<library>" [--ms=3000]\ntable ids: ${tables.join(', ')}; libraries as in docs/benchmarks.md, such as "gossip".\n`,
  );
  process.exit(2);
}
const profile = await recordProfile(benchCase, ms);
const dir = join(benchDir, '.generated', 'profiles');
mkdirSync(dir, { recursive: true });
const file = join(
  dir,
  `${String(resultId)}-${benchCase.library.replaceAll(/\W+/g, '-')}.cpuprofile`,
);
writeFileSync(file, JSON.stringify(profile));
const summary = summariseProfile(profile, process.argv.includes('--json') ? 12 : 20);
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ durationMs: ms, ...summary })}\n`);
  process.exit(0);
}
process.stdout.write(`${String(summary.samples)} samples; self time:\n`);
for (const entry of summary.top) {
  process.stdout.write(
    `${entry.selfPercent.toFixed(1).padStart(5)} %  ${entry.function}  ${entry.location}\n`,
  );
}
process.stdout.write(`wrote ${file}\n`);
