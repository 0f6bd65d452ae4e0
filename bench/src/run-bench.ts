import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORE_BUDGET, packageSizes, peerSizes, type SizeRow } from './bundle-size.js';
import { type BenchArgs, SCENARIO_IDS } from './cli-args.js';
import { runForked } from './forks.js';
import { libraryVersions, machineInfo } from './machine.js';
import type { MeasureOptions } from './measure.js';
import { benchDir, rootDir } from './paths.js';
import { renderChart } from './report/chart.js';
import { mergeDocument, renderMarkdown } from './report/markdown.js';
import type { BenchResults, ProfileSummary, ScenarioResult, TypeProbe } from './results.js';
import { awaitedPublish } from './scenarios/awaited-publish.js';
import { churn } from './scenarios/churn.js';
import { fireAndForget } from './scenarios/fire-and-forget.js';
import { gcSteadyState } from './scenarios/gc-steady-state.js';
import { memory } from './scenarios/memory.js';
import { queuedPublish } from './scenarios/queued-publish.js';
import type { Scenario, ScenarioContext } from './scenarios/scenario.js';
import { schemaVersions } from './scenarios/schema-versions.js';
import { runTypeCheck } from './scenarios/type-check.js';
import { validation } from './scenarios/validation.js';
import { wildcards } from './scenarios/wildcards.js';
import { evaluateTargets } from './targets.js';
import {
  checkInstantiations,
  type InstantiationGuard,
} from './type-scaling/instantiation-guard.js';
import type { TypeScalingResult } from './type-scaling/measure-type-scaling.js';
import { probeInstantiations } from './type-scaling/probe-instantiations.js';

/** The scenarios that measure with the shared harness (and so can be profiled). */
export const TIMED_SCENARIOS: readonly Scenario[] = [
  queuedPublish,
  awaitedPublish,
  gcSteadyState,
  validation,
  schemaVersions,
  wildcards,
  churn,
];

/**
 * The scenarios that manage their own processes and timing and run once in the harness's
 * process, whatever `--forks` says.
 */
const OWN_SCENARIOS: readonly Scenario[] = [fireAndForget, memory];

/** Rounds and times of the timed scenarios. */
export function measureOptions(quick: boolean): MeasureOptions {
  return quick ? { rounds: 1, time: 20, warmupTime: 5 } : { rounds: 5, time: 250, warmupTime: 100 };
}

/** Bundle sizes beside the results (the Markdown shows them in a table of their own). */
export interface Sizes {
  readonly packages: readonly SizeRow[];
  readonly peers: readonly SizeRow[];
}

function sizeTable(sizes: Sizes): ScenarioResult {
  const rows = [...sizes.packages, ...sizes.peers].map((row) => ({
    library: row.library,
    median: row.gzipped,
    spread: 0,
    ratio: row.error === undefined ? row.gzipped / CORE_BUDGET : null,
    rounds: [row.gzipped],
    details: { minified: row.minified },
    ...(row.error === undefined ? {} : { error: row.error }),
  }));
  return {
    id: 'bundle-size',
    title: 'Bundle size, minified and gzipped',
    unit: 'bytes',
    reference: `budget of @gossip/core (${String(CORE_BUDGET)} B)`,
    rows,
  };
}

/**
 * Profiles each missed target's case in a child process run with --no-turbo-inlining, so that
 * self time is not folded into whichever caller V8 inlined a function into (the timings were
 * taken with inlining; the profile only says where the time goes).
 */
function profileMissed(
  requests: ReadonlyArray<{ target: string; resultId: string; library: string }>,
  context: ScenarioContext,
): ProfileSummary[] {
  const byCase = new Map<string, { targets: string[]; resultId: string; library: string }>();
  for (const request of requests) {
    const key = `${request.resultId}\u0000${request.library}`;
    const entry = byCase.get(key) ?? {
      targets: [],
      resultId: request.resultId,
      library: request.library,
    };
    entry.targets.push(request.target);
    byCase.set(key, entry);
  }
  const summaries: ProfileSummary[] = [];
  const durationMs = context.quick ? 50 : 2000;
  for (const { targets, resultId, library } of byCase.values()) {
    context.log(`profiling ${library} in ${resultId} (missed ${targets.join(', ')})`);
    const child = spawnSync(
      process.execPath,
      [
        '--no-turbo-inlining',
        '--expose-gc',
        join(benchDir, 'scripts', 'run.mjs'),
        'profile-main',
        resultId,
        library,
        `--ms=${String(durationMs)}`,
        '--json',
      ],
      { cwd: benchDir, encoding: 'utf8' },
    );
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      throw new Error(`profiling ${library} in ${resultId} failed:\n${child.stderr}`);
    }
    const summary = JSON.parse(line) as Omit<ProfileSummary, 'target' | 'scenario' | 'library'>;
    summaries.push({ target: targets.join(', '), scenario: resultId, library, ...summary });
  }
  return summaries;
}

/**
 * Runs the selected scenarios, checks the targets, profiles the missed ones.
 *
 * @param args - the parsed command line
 * @param log - progress lines
 * @returns the results, and the bundle sizes if measured
 */
export async function runBench(
  args: BenchArgs,
  log: (line: string) => void,
): Promise<{ results: BenchResults; sizes: Sizes | undefined }> {
  const started = Date.now();
  const context: ScenarioContext = { quick: args.quick, log, measure: measureOptions(args.quick) };
  const selected = SCENARIO_IDS.filter(
    (id) => (args.only === undefined || args.only.includes(id)) && !args.skip.includes(id),
  );
  const scenarios: ScenarioResult[] = [];
  let typeScaling: TypeScalingResult | undefined;
  let sizes: Sizes | undefined;
  let instantiationGuard: InstantiationGuard | undefined;
  for (const id of selected) {
    const scenarioStart = Date.now();
    const timed = TIMED_SCENARIOS.find((s) => s.id === id);
    const own = OWN_SCENARIOS.find((s) => s.id === id);
    if (timed !== undefined && args.forks > 1) {
      scenarios.push(...runForked(id, args.forks, log));
    } else if (timed !== undefined) {
      scenarios.push(...(await timed.run(context)));
    } else if (own !== undefined) {
      scenarios.push(...(await own.run(context)));
    } else if (id === 'type-check') {
      const { result, tables } = await runTypeCheck(context);
      typeScaling = result;
      scenarios.push(...tables);
      // The quick run (CI's) holds the recorded instantiation counts: deterministic, so a
      // type-level regression fails it, where the check times it measures are too noisy to.
      if (context.quick) instantiationGuard = await checkInstantiations(log);
    } else if (id === 'bundle-size') {
      log('bundle sizes');
      sizes = {
        packages: await packageSizes({ build: !args.quick, log }),
        peers: await peerSizes(),
      };
      scenarios.push(sizeTable(sizes));
    }
    log(`${id}: ${((Date.now() - scenarioStart) / 1000).toFixed(1)} s`);
  }
  const sizeMap = new Map(
    (sizes?.packages ?? []).filter((r) => r.error === undefined).map((r) => [r.library, r.gzipped]),
  );
  const { targets, profiles: requests } = evaluateTargets(scenarios, sizeMap, typeScaling);
  const profiles = profileMissed(requests, context);
  let typeProbes: { events: number; probes: TypeProbe[] } | undefined;
  // Not in quick mode: seven more compiler runs would double its time.
  if (!args.quick && targets.some((t) => t.id.startsWith('type-check') && !t.hit)) {
    const events = args.quick ? 30 : 200;
    log(`type-check target missed: probing instantiations at ${String(events)} events`);
    typeProbes = { events, probes: await probeInstantiations(events) };
  }
  const results: BenchResults = {
    schema: 1,
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    forks: args.forks,
    durationMs: Date.now() - started,
    machine: machineInfo(),
    versions: libraryVersions(),
    scenarios,
    targets,
    ...(typeScaling === undefined ? {} : { typeScaling }),
    ...(typeProbes === undefined ? {} : { typeProbes }),
    ...(instantiationGuard === undefined ? {} : { instantiationGuard }),
    profiles,
  };
  return { results, sizes };
}

/**
 * Writes latest.json and chart.svg into the output folder, and the Markdown report: to
 * docs/benchmarks.md (a full run of every scenario) or beside the results (quick mode, or
 * `--only`/`--skip`), keeping the hand-written notes below the generated part.
 *
 * @param results - what runBench returned
 * @param sizes - the bundle sizes, if measured
 * @param args - the command line (output folder, docs or not)
 * @returns the paths written
 */
export function writeOutputs(
  results: BenchResults,
  sizes: Sizes | undefined,
  args: BenchArgs,
): string[] {
  // Only a full run of every scenario replaces the committed results and docs.
  const partial = args.only !== undefined || args.skip.length > 0;
  const outDir =
    args.out ??
    join(benchDir, args.quick ? '.generated/quick' : partial ? '.generated/partial' : 'results');
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'latest.json');
  const chart = join(outDir, 'chart.svg');
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(chart, renderChart(results.scenarios));
  const toDocs = args.docs ?? (!args.quick && !partial);
  const doc = toDocs ? join(rootDir, 'docs', 'benchmarks.md') : join(outDir, 'benchmarks.md');
  const existing = existsSync(doc) ? readFileSync(doc, 'utf8') : undefined;
  const chartLink = relative(join(doc, '..'), chart).split('\\').join('/');
  writeFileSync(doc, mergeDocument(existing, renderMarkdown(results, sizes, chartLink)));
  return [json, chart, doc];
}

/** One line per table, for the terminal. */
export function summaryLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const scenario of results.scenarios) {
    const gossip = scenario.rows.filter((row) => row.library.startsWith('gossip'));
    const parts = gossip.map(
      (row) =>
        `${row.library} ${row.median.toFixed(1)} ${scenario.unit}` +
        (row.ratio === null ? '' : ` (${row.ratio.toFixed(2)}x ${scenario.reference})`),
    );
    if (parts.length > 0) lines.push(`${scenario.id}: ${parts.join('; ')}`);
  }
  const guard = results.instantiationGuard;
  if (guard !== undefined) {
    const counts = Object.entries(guard.counts).map(([app, n]) => `${app} ${String(n)}`);
    lines.push(
      `${guard.failures.length === 0 ? 'hold' : 'FAIL'} instantiation guard, ${String(guard.events)} events: ${counts.join(', ')}`,
      ...guard.failures.map((failure) => `  ${failure}`),
    );
  }
  for (const target of results.targets) {
    lines.push(
      `${target.hit ? 'hit ' : 'MISS'} ${target.id}: ${target.atLeast === true ? '>= ' : ''}${target.value.toFixed(2)} (limit ${target.kind === 'max' ? '<=' : '>='} ${String(target.limit)})`,
    );
  }
  return lines;
}
