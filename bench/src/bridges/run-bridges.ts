import { cpus, loadavg } from 'node:os';
import { pairedRatio } from '../stats.js';
import { measure, medianSample, type Sample } from './measure.js';
import { onlySides, option } from './options.js';
import type { BrokerBench, ScenarioName } from './scenario.js';

/** What a run of one broker found: the medians of each side and the paired ratio. */
export interface BridgeRow {
  readonly broker: string;
  readonly scenario: ScenarioName;
  readonly raw: Sample;
  readonly bridge: Sample;
  /** The median over rounds of bridge rate / raw rate, both measured in the same round. */
  readonly ratio: number;
  readonly rounds: number;
  /** Untimed runs of each side before the first round. */
  readonly warmups: number;
}

/** What a run found: a row per broker and scenario, and each broker's stored bytes. */
export interface BridgeRun {
  readonly rows: BridgeRow[];
  readonly storedBytes: ReadonlyMap<string, { raw: number; bridge: number }>;
}

/**
 * Runs each broker's scenarios `rounds` times per side, after `warmups` untimed runs of each side
 * with as many messages. Round by round, every broker and
 * scenario takes its turn, and raw and bridge alternate which goes first, so that a change of
 * the machine's load over the run falls on both sides alike.
 */
export async function runBridges(
  benches: readonly BrokerBench[],
  messages: number,
  { rounds, warmups }: { readonly rounds: number; readonly warmups: number },
  log: (line: string) => void,
  only?: ReadonlySet<string>,
): Promise<BridgeRun> {
  const samples = new Map<string, { raw: Sample[]; bridge: Sample[] }>();
  const keyOf = (bench: BrokerBench, name: ScenarioName) => `${bench.name}\u0000${name}`;
  const scenariosOf = (bench: BrokerBench) =>
    [
      ['publish with ack', bench.rawPublish, bench.bridgePublish],
      ['consume with ack', bench.rawConsume, bench.bridgeConsume],
    ] as const;
  // Untimed runs of every side first, as many messages as a round: the code of both sides is
  // compiled and warm before the first timed round, so the rounds compare steady states. One
  // run of a quarter of the messages was not enough: the bridge, with far more code on its
  // path than the raw loop, ran its first two or three rounds at 50-60 % of its later rate.
  for (let run = 1; run <= warmups; run++) {
    for (const bench of benches) {
      for (const [name, raw, bridged] of scenariosOf(bench)) {
        for (const [side, prepare] of [
          ['raw', raw],
          ['bridge', bridged],
        ] as const) {
          if (only !== undefined && !only.has(`${side}-${name.split(' ')[0]}`)) continue;
          await measure(messages, await prepare(messages), `${side}-warmup-${run}`);
        }
      }
    }
  }
  for (let round = 1; round <= rounds; round++) {
    for (const bench of benches) {
      for (const [name, raw, bridged] of scenariosOf(bench)) {
        const sides = round % 2 === 1 ? (['raw', 'bridge'] as const) : (['bridge', 'raw'] as const);
        for (const side of sides) {
          const id = `${side}-${name.split(' ')[0]}`;
          if (only !== undefined && !only.has(id)) continue;
          const prepare = side === 'raw' ? raw : bridged;
          const sample = await measure(messages, await prepare(messages), `${id}-${round}`);
          const key = keyOf(bench, name);
          const found = samples.get(key) ?? { raw: [], bridge: [] };
          found[side].push(sample);
          samples.set(key, found);
          log(
            `${bench.name} round ${round}/${rounds} ${name} ${side}: ${sample.rate.toFixed(0)} msgs/s, ${sample.cpuPerMessage.toFixed(1)} µs CPU/msg, p50 ${sample.p50.toFixed(2)} ms, p99 ${sample.p99.toFixed(2)} ms (load ${loadavg()[0]?.toFixed(2)})`,
          );
        }
      }
    }
  }
  const rows = benches.flatMap((bench) =>
    scenariosOf(bench).flatMap(([name]): BridgeRow[] => {
      const { raw, bridge } = samples.get(keyOf(bench, name)) ?? { raw: [], bridge: [] };
      if (raw.length === 0 || bridge.length === 0) return [];
      return [
        {
          broker: bench.name,
          scenario: name,
          raw: medianSample(raw),
          bridge: medianSample(bridge),
          ratio: pairedRatio(
            bridge.map((sample) => sample.rate),
            raw.map((sample) => sample.rate),
          ),
          rounds,
          warmups,
        },
      ];
    }),
  );
  const storedBytes = new Map<string, { raw: number; bridge: number }>();
  for (const bench of benches) storedBytes.set(bench.name, await bench.storedBytes());
  return { rows, storedBytes };
}

/** Prints a run: the table to stdout, with the stored bytes per message of each broker. */
export function printRun(run: BridgeRun, messages: number, loadBefore: string): void {
  process.stdout.write(
    `${bridgeTable(run.rows, messages, `${loadBefore} at the start, ${loadText()} at the end`)}\n\n`,
  );
  for (const [broker, { raw, bridge }] of run.storedBytes) {
    process.stdout.write(
      `${broker}: stored per message, raw ${raw.toFixed(0)} B, bridge ${bridge.toFixed(0)} B.\n`,
    );
  }
}

const fixed = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

/** The rows as a Markdown table, with the machine and its load. */
export function bridgeTable(rows: readonly BridgeRow[], messages: number, load: string): string {
  const lines = [
    `${messages} messages per run, median of ${rows[0]?.rounds ?? 0} rounds per side after ${rows[0]?.warmups ?? 0} untimed warm-up runs; ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, load average ${load}.`,
    '',
    '| broker | scenario | raw msgs/s | bridge msgs/s | bridge/raw | raw p50 / p99 ms | bridge p50 / p99 ms | raw / bridge CPU µs/msg |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { broker, scenario, raw, bridge, ratio } of rows) {
    lines.push(
      `| ${broker} | ${scenario} | ${fixed(raw.rate, 0)} | ${fixed(bridge.rate, 0)} | **${fixed(ratio, 2)}** | ${fixed(raw.p50, 2)} / ${fixed(raw.p99, 2)} | ${fixed(bridge.p50, 2)} / ${fixed(bridge.p99, 2)} | ${fixed(raw.cpuPerMessage, 1)} / ${fixed(bridge.cpuPerMessage, 1)} |`,
    );
  }
  return lines.join('\n');
}

/** The 1, 5 and 15 minute load averages, as text. */
export function loadText(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** Set to 1 in a broker's own process (see broker-processes.ts): the run is printed as JSON. */
export const RUN_AS_JSON = 'GOSSIP_BRIDGES_JSON';

/** A run as one line of JSON, for the process that merges the brokers' runs. */
export function toJson(run: BridgeRun): string {
  return JSON.stringify({ rows: run.rows, storedBytes: [...run.storedBytes] });
}

/** A run read back from {@link toJson}'s line. */
export function fromJson(line: string): BridgeRun {
  const parsed = JSON.parse(line) as {
    rows: BridgeRow[];
    storedBytes: Array<[string, { raw: number; bridge: number }]>;
  };
  return { rows: parsed.rows, storedBytes: new Map(parsed.storedBytes) };
}

/**
 * The entry points' body: reads `--messages`, `--rounds`, `--warmups` and `--only`, opens each
 * broker's bench, runs them together, prints the table, and closes them.
 */
export async function benchMain(
  opens: ReadonlyArray<() => Promise<BrokerBench & { close(): Promise<void> }>>,
): Promise<void> {
  const messages = option('messages', 20_000);
  // 9 rounds: a side's rounds vary by 10 to 20 % on a 2-core machine running the broker too, and
  // the median of 5 paired ratios moved with single slow rounds.
  const rounds = option('rounds', 9);
  const warmups = option('warmups', 3);
  const before = loadText();
  const benches: Array<BrokerBench & { close(): Promise<void> }> = [];
  try {
    for (const open of opens) benches.push(await open());
    const run = await runBridges(
      benches,
      messages,
      { rounds, warmups },
      (line) => console.warn(line),
      onlySides(),
    );
    if (process.env[RUN_AS_JSON] === '1') process.stdout.write(`${toJson(run)}\n`);
    else printRun(run, messages, before);
  } finally {
    for (const bench of benches) await bench.close();
  }
}
