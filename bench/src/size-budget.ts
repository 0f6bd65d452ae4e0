import { CORE_BUDGET, CORE_CEILING, packageSizes } from './bundle-size.js';

// `pnpm --filter @gossip/bench size`: prints each package's size and exits non-zero when
// @gossip/core is over its budget (or could not be measured). With `--ceiling` (what CI runs)
// it fails only past CORE_CEILING, the ratchet that keeps core from growing while it is over
// its budget (CORE_BUDGET, 7,000 B), and says how far the budget is.
const rows = await packageSizes({ log: (line) => process.stderr.write(`${line}\n`) });
for (const row of rows) {
  const size = row.error ?? `${String(row.gzipped)} B min+gz (${String(row.minified)} B min)`;
  process.stdout.write(`${row.library.padEnd(24)} ${size}\n`);
}
const core = rows.find((row) => row.library === '@gossip/core');
if (core === undefined || core.error !== undefined) {
  process.stderr.write(
    '@gossip/core could not be measured: build it with `pnpm --filter @gossip/core build`.\n',
  );
  process.exit(1);
}
const ceiling = process.argv.includes('--ceiling');
if (ceiling && core.gzipped <= CORE_CEILING) {
  const verdict =
    core.gzipped > CORE_BUDGET
      ? `over its ${String(CORE_BUDGET)} B budget (a missed target, see docs/benchmarks.md)`
      : `within its ${String(CORE_BUDGET)} B budget`;
  process.stdout.write(
    `@gossip/core is ${String(core.gzipped)} B, under its ceiling of ${String(CORE_CEILING)} B and ${verdict}.\n`,
  );
  process.exit(0);
}
if (core.gzipped > (ceiling ? CORE_CEILING : CORE_BUDGET)) {
  process.stderr.write(
    `@gossip/core is ${String(core.gzipped)} B minified and gzipped, over its ${ceiling ? 'ceiling' : 'budget'} of ${String(ceiling ? CORE_CEILING : CORE_BUDGET)} B. ` +
      'Find what grew with `npx esbuild packages/core/dist/index.js --bundle --minify --metafile=meta.json` and https://esbuild.github.io/analyze/.\n',
  );
  process.exit(1);
}
process.stdout.write(`@gossip/core is within its budget of ${String(CORE_BUDGET)} B.\n`);
