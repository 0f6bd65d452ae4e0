import { formatNumber } from '../report/format.js';
import { measureTypeScaling } from './measure-type-scaling.js';

// `pnpm --filter @gossip/bench type-scaling [--events=100,500,1000] [--runs=3] [--wildcards=100]`:
// generates the apps, checks each with tsc --extendedDiagnostics and prints the table.
function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return (
    process.argv
      .slice(2)
      .find((arg) => arg.startsWith(prefix))
      ?.slice(prefix.length) ?? fallback
  );
}

const sizes = option('events', '100,500,1000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const wildcards = Number(option('wildcards', '100'));
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write(
    'usage: type-scaling [--events=100,500,1000] [--runs=3] [--wildcards=100]\n',
  );
  process.exit(2);
}
try {
  const result = await measureTypeScaling({
    sizes,
    runs,
    wildcards,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const lines = [
    '| Events | App | Check (ms) | Instantiations | Types | Memory (MB) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of result.rows) {
    lines.push(
      `| ${String(row.events)} | ${row.app} | ${formatNumber(row.checkMs)} | ${formatNumber(row.instantiations)} | ${formatNumber(row.types)} | ${formatNumber(row.memoryKb / 1024)} |`,
    );
  }
  lines.push('');
  for (const ratio of result.ratios) {
    lines.push(
      `${String(ratio.events)} events: ${ratio.app} / ${ratio.floor} = ${ratio.checkRatio.toFixed(2)}x check time, ` +
        `${ratio.instantiationRatio.toFixed(1)}x instantiations: ${ratio.hit ? 'within' : 'OVER'} the 2x target`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
