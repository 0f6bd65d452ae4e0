import { describe, expect, it } from 'vitest';
import { type BridgeRun, fromJson, toJson } from '../src/bridges/run-bridges.js';
import { parseArgs } from '../src/cli-args.js';
import { compareRuns } from '../src/compare.js';
import { mergeForks } from '../src/forks.js';
import { Latch } from '../src/latch.js';
import { measureCases, toRows } from '../src/measure.js';
import { summariseProfile } from '../src/profile.js';
import { renderChart } from '../src/report/chart.js';
import { GENERATED_END, mergeDocument, renderMarkdown } from '../src/report/markdown.js';
import type { BenchResults, ScenarioResult } from '../src/results.js';
import { validation } from '../src/scenarios/validation.js';
import { wildcardSetup } from '../src/scenarios/wildcards.js';
import { pairedRatio } from '../src/stats.js';
import { evaluateTargets } from '../src/targets.js';

const quickContext = {
  quick: true,
  log: () => {},
  measure: { rounds: 2, time: 5, warmupTime: 1 },
};

describe('the validation scenario in quick mode', () => {
  it('produces a row per library with median, spread, ratio and rounds', async () => {
    const [result] = await validation.run(quickContext);
    expect(result?.id).toBe('validation');
    expect(result?.unit).toBe('ns/event');
    expect(result?.rows.map((row) => row.library)).toEqual([
      'no schema + safeParse',
      'gossip, no schema',
      'zod safeParse',
      'gossip, zod schema',
    ]);
    for (const row of result?.rows ?? []) {
      expect(row.median).toBeGreaterThan(0);
      expect(row.spread).toBeGreaterThanOrEqual(0);
      expect(row.rounds).toHaveLength(2);
      expect(row.ratio).toBeGreaterThan(0);
    }
    expect(result?.rows[0]?.ratio).toBe(1);
  }, 30_000);
});

describe('measureCases', () => {
  it('fails a case whose handlers never run, instead of hanging', async () => {
    const latch = new Latch();
    const cases = [
      {
        library: 'silent',
        perRun: 10,
        prepare: () => ({ latch, run: () => latch.arm(10) }),
      },
    ];
    await expect(
      measureCases(cases, { rounds: 1, time: 5, warmupTime: 1, roundTimeoutMs: 50 }),
    ).rejects.toThrow(/never finished \(handlers left: 10\)/);
  });
});

describe('toRows', () => {
  it('divides each median by the reference median', () => {
    const rows = toRows(
      new Map([
        ['reference', [10, 20, 30]],
        ['gossip', [40, 60, 80]],
      ]),
      'reference',
    );
    expect(rows).toEqual([
      { library: 'reference', median: 20, spread: 1, ratio: 1, rounds: [10, 20, 30] },
      { library: 'gossip', median: 60, spread: 40 / 60, ratio: 3, rounds: [40, 60, 80] },
    ]);
  });

  it('refuses a reference that was not measured', () => {
    expect(() => toRows(new Map([['gossip', [1]]]), 'reference')).toThrow(
      /"reference" was not measured/,
    );
  });
});

describe('Latch', () => {
  it('resolves at the last expected tick, not before', async () => {
    const latch = new Latch();
    let resolved = false;
    const done = latch.arm(3).then(() => {
      resolved = true;
    });
    latch.tick();
    latch.tick();
    await Promise.resolve();
    expect(resolved).toBe(false);
    latch.tick();
    await done;
    expect(resolved).toBe(true);
  });
});

describe('the wildcard scenario setup', () => {
  it('reaches every exact name by exactly one subscription and every other name by one pattern', async () => {
    const { compilePattern } = await import('@gossip/core');
    const { exact, viaPattern, patterns } = wildcardSetup();
    expect(exact).toHaveLength(500);
    expect(viaPattern).toHaveLength(500);
    expect(patterns).toHaveLength(100);
    const matchers = patterns.map(compilePattern);
    for (const name of exact) expect(matchers.filter((m) => m(name))).toHaveLength(0);
    for (const name of viaPattern) expect(matchers.filter((m) => m(name))).toHaveLength(1);
  });
});

/** A table of gossip against a reference, with the rounds given. */
const pair = (id: string, gossip: number[], reference: number[]): ScenarioResult => ({
  id,
  title: id,
  unit: 'ns/event',
  reference: 'reference',
  rows: [
    { library: 'reference', median: 0, spread: 0, ratio: null, rounds: reference },
    { library: 'gossip', median: 0, spread: 0, ratio: null, rounds: gossip },
  ],
});

const scenario = (id: string, rows: Array<[string, number]>): ScenarioResult => ({
  id,
  title: id,
  unit: 'ns/event',
  reference: 'reference',
  rows: rows.map(([library, median]) => ({
    library,
    median,
    spread: 0,
    ratio: null,
    rounds: [median],
  })),
});

describe('evaluateTargets', () => {
  it('marks a target hit or missed and asks for a profile of each miss', () => {
    const { targets, profiles } = evaluateTargets(
      [
        scenario('queued-1', [
          ['reference', 10],
          ['eventemitter3', 10],
          ['emittery', 3000],
          ['gossip', 100],
        ]),
      ],
      new Map([['@gossip/core', 8000]]),
      undefined,
    );
    expect(targets.map((t) => [t.id, t.hit])).toEqual([
      ['queued-1-vs-emittery', true],
      ['queued-1-vs-eventemitter3', false],
      ['core-size', false],
    ]);
    expect(targets[0]?.value).toBe(30);
    expect(profiles).toEqual([
      { target: 'queued-1-vs-eventemitter3', resultId: 'queued-1', library: 'gossip' },
    ]);
  });
});

describe('pairedRatio', () => {
  it('keeps a slower process out of a ratio that pooled medians would skew', () => {
    // The process turned twice as slow during round 3, between the reference and gossip: the
    // libraries are 1.2x apart in every other round, but the pooled medians say 2.4x.
    const gossip = [120, 120, 240, 240, 240];
    const reference = [100, 100, 100, 200, 200];
    expect(pairedRatio(gossip, reference)).toBeCloseTo(1.2, 9);
    expect(pairedRatio([120, 360, 120], [100, 300, 100])).toBeCloseTo(1.2, 9);
  });

  it('falls back to the quotient of medians without aligned rounds', () => {
    expect(pairedRatio([10, 20, 30], [5, 10])).toBeCloseTo(20 / 7.5, 9);
    expect(pairedRatio([10, 20], [0, 10])).toBeCloseTo(15 / 5, 9);
  });
});

describe('compareRuns', () => {
  const table = (gossip: number[], reference: number[]) => pair('awaited-1', gossip, reference);

  it('gives each checkout the median over processes of its per-round ratios', () => {
    const compared = compareRuns(
      new Map([
        // The second process is twice as slow for both libraries: the ratio does not move.
        ['before', [[table([130, 130], [100, 100])], [table([260, 260], [200, 200])]]],
        ['after', [[table([120, 120], [100, 100])], [table([240, 250], [200, 200])]]],
      ]),
    );
    expect(compared.get('before')).toEqual([
      { table: 'awaited-1', library: 'gossip', ratio: 1.3, perProcess: [1.3, 1.3] },
    ]);
    expect(compared.get('after')?.[0]?.ratio).toBeCloseTo(1.2125, 9);
  });
});

describe('summariseProfile', () => {
  it('ranks functions by self time', () => {
    const frame = (functionName: string) => ({
      functionName,
      url: '',
      lineNumber: 0,
      columnNumber: 0,
    });
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)') },
        { id: 2, callFrame: frame('publish') },
        { id: 3, callFrame: frame('drain') },
      ],
      samples: [2, 3, 3, 3],
      startTime: 0,
      endTime: 1,
    });
    expect(summary.samples).toBe(4);
    expect(summary.top.map((t) => [t.function, t.selfPercent])).toEqual([
      ['drain', 75],
      ['publish', 25],
    ]);
  });
});

describe('the report', () => {
  const results: BenchResults = {
    schema: 1,
    date: '2026-01-02T03:04:05.000Z',
    mode: 'quick',
    durationMs: 1000,
    machine: { cpu: 'CPU', cores: 2, memoryGb: 4, os: 'Linux', node: 'v20.0.0' },
    versions: { '@gossip/core': '0.1.0' },
    scenarios: [
      scenario('queued-1', [
        ['reference', 10],
        ['gossip', 100],
      ]),
    ],
    targets: [],
    profiles: [],
  };

  it('keeps the hand-written notes below the generated part', () => {
    const first = mergeDocument(undefined, renderMarkdown(results, undefined, 'chart.svg'));
    const edited = first.replace(/## Notes[\s\S]*$/, '## Notes\n\nWritten by hand.\n');
    const second = mergeDocument(edited, renderMarkdown(results, undefined, 'chart.svg'));
    expect(second).toContain('Written by hand.');
    expect(second.indexOf(GENERATED_END)).toBeLessThan(second.indexOf('Written by hand.'));
    expect(second).toContain('| **gossip** | 100 |');
  });

  it('draws a bar per library', () => {
    const svg = renderChart(results.scenarios);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
  });
});

describe('parseArgs', () => {
  it('reads --quick, --only and --skip', () => {
    expect(parseArgs(['--quick', '--only=queued,memory', '--skip=memory'])).toEqual({
      quick: true,
      only: ['queued', 'memory'],
      skip: ['memory'],
      out: undefined,
      docs: undefined,
      forks: 1,
    });
  });

  it('runs each timed scenario in 3 processes in full mode, as --forks says', () => {
    expect(parseArgs([]).forks).toBe(3);
    expect(parseArgs(['--forks=5']).forks).toBe(5);
    expect(parseArgs(['--quick', '--forks=2']).forks).toBe(2);
    expect(() => parseArgs(['--forks=0'])).toThrow(/unknown argument "--forks=0"/);
  });

  it('refuses an unknown scenario, listing the known ones', () => {
    expect(() => parseArgs(['--only=qeued'])).toThrow(
      /unknown scenario "qeued"[\s\S]*queued, awaited/,
    );
  });
});

describe('mergeForks', () => {
  const table = (gossip: number[], reference: number[]) => pair('queued-1', gossip, reference);

  it("pools every process's rounds, so the median is that of the usual process", () => {
    const [merged] = mergeForks([
      [table([36, 37, 35], [5, 5, 5])],
      [table([100, 98, 99], [5, 5, 5])],
      [table([37, 36, 38], [5, 5, 5])],
    ]);
    const gossip = merged?.rows.find((row) => row.library === 'gossip');
    expect(gossip?.rounds).toHaveLength(9);
    expect(gossip?.median).toBe(37);
    expect(gossip?.ratio).toBeCloseTo(37 / 5);
  });

  it("returns a single process's tables with their medians, and nothing for no process", () => {
    const [merged] = mergeForks([[table([3, 1, 2], [1, 1, 1])]]);
    expect(merged?.rows.find((row) => row.library === 'gossip')?.median).toBe(2);
    expect(mergeForks([])).toEqual([]);
  });
});

describe("a broker process's run as JSON", () => {
  it('reads back the rows and stored bytes the process found', () => {
    const sample = { rate: 90_000, cpuPerMessage: 11.5, p50: 0.2, p99: 0.4 };
    const run: BridgeRun = {
      rows: [
        {
          broker: 'Redis Streams 7.0.15',
          scenario: 'consume with ack',
          raw: sample,
          bridge: { ...sample, rate: 80_000 },
          ratio: 0.89,
          rounds: 9,
          warmups: 3,
        },
      ],
      storedBytes: new Map([['Redis Streams 7.0.15', { raw: 141, bridge: 141 }]]),
    };
    const line = toJson(run);
    expect(line).not.toContain('\n');
    expect(fromJson(line)).toEqual(run);
  });
});
